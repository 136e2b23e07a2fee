# bash completion for cl's tools: cl-pin, cl-status, cl-peers, cl-sync, cl-raftd.
# One file for the five; `make install` puts a copy under each command's name in
# share/bash-completion/completions/ (bash-completion loads completions by command name).
# Each tool's section lists its subcommands and options; tests/cli/t0140-docs-agree.sh checks
# every section against the tool's --help.

_cl_common_opts="--socket --timeout --json --text -q --quiet -v --verbose --help --version"
# Options followed by a value (the word after them is not a subcommand).
_cl_value_opts="--socket --timeout --name -r --replication --rmin --rmax --mode --allocations --meta
  --expire-in --file --wait-timeout --peer --filter --home --secret --join --listen --advertise
  --profile --ipfs-api --log-level"

# begin cl-pin
_cl_pin_subs="add rm update ls get"
_cl_pin_opts_add="--name -r --replication --rmin --rmax --mode --allocations --meta --expire-in --file --wait
  --wait-timeout --no-status"
_cl_pin_opts_rm=""
_cl_pin_opts_update="--keep-old"
_cl_pin_opts_ls="--name --meta --peer --mode --filter --local"
_cl_pin_opts_get=""
# end cl-pin

# begin cl-status
_cl_status_subs=""
_cl_status_opts_="--local --filter"
# end cl-status

# begin cl-peers
_cl_peers_subs="ls id rm health"
_cl_peers_opts_ls=""
_cl_peers_opts_id=""
_cl_peers_opts_rm=""
_cl_peers_opts_health=""
# end cl-peers

# begin cl-sync
_cl_sync_subs="now recover export import"
_cl_sync_opts_now=""
_cl_sync_opts_recover="--local"
_cl_sync_opts_export=""
_cl_sync_opts_import="--replace --dry-run"
# end cl-sync

# begin cl-raftd
_cl_raftd_subs="init id config run"
_cl_raftd_opts_init="--home --secret --force"
_cl_raftd_opts_id="--home"
_cl_raftd_opts_config="--home --defaults --keys"
_cl_raftd_opts_run="--home --join --listen --advertise --socket --profile --ipfs-api --log-level -v --verbose"
# end cl-raftd

_cl_complete() {
  local cur=${COMP_WORDS[COMP_CWORD]}
  local prev=${COMP_WORDS[COMP_CWORD - 1]}
  local cmd=${COMP_WORDS[0]##*/}
  local var=_${cmd//-/_}
  local subs_var=${var}_subs
  local subs=${!subs_var-}
  local sub="" i w skip=0
  for ((i = 1; i < COMP_CWORD; i++)); do
    w=${COMP_WORDS[i]}
    if [ "$skip" = 1 ]; then skip=0; continue; fi
    case " $_cl_value_opts " in *" $w "*) skip=1; continue ;; esac
    case $w in -*) continue ;; esac
    case " $subs " in *" $w "*) sub=$w; break ;; esac
  done
  case $prev in
    --mode) COMPREPLY=($(compgen -W "recursive direct" -- "$cur")); return ;;
    --profile) COMPREPLY=($(compgen -W "lan wan" -- "$cur")); return ;;
    --log-level) COMPREPLY=($(compgen -W "trace debug info warn error off" -- "$cur")); return ;;
    --filter)
      if [ "$cmd" = cl-status ]; then
        COMPREPLY=($(compgen -W "error queued pinning pinned unpinned pin_error unpin_error cluster_error
          unexpectedly_unpinned pin_queued unpin_queued unpinning remote" -- "${cur##*,}"))
      fi
      return ;;
    --socket | --file | --home) COMPREPLY=($(compgen -f -- "$cur")); return ;;
  esac
  case " $_cl_value_opts " in *" $prev "*) return ;; esac
  local opts_var=${var}_opts_${sub}
  local common=$_cl_common_opts
  [ "$cmd" = cl-raftd ] && common="--help --version"
  if [ -z "$sub" ] && [ -n "$subs" ] && [[ $cur != -* ]]; then
    COMPREPLY=($(compgen -W "$subs" -- "$cur"))
    return
  fi
  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "${!opts_var-} $common" -- "$cur"))
    return
  fi
  if [ "$cmd $sub" = "cl-sync import" ]; then COMPREPLY=($(compgen -f -- "$cur")); fi
}
complete -F _cl_complete cl-pin cl-status cl-peers cl-sync cl-raftd
