# fish completion for cl's tools. `make install` puts a copy under each command's name in
# share/fish/vendor_completions.d/. Sections are checked against --help by
# tests/cli/t0140-docs-agree.sh.

for tool in cl-pin cl-status cl-peers cl-sync
    complete -c $tool -l socket -r -d "the daemon socket"
    complete -c $tool -l timeout -x -d "how long to wait for each answer"
    complete -c $tool -l json -d "print JSON lines"
    complete -c $tool -l text -d "print an aligned table"
    complete -c $tool -s q -l quiet -d "print only errors"
    complete -c $tool -s v -l verbose -d "say more on stderr"
    complete -c $tool -l help -d "print the options"
    complete -c $tool -l version -d "print the version"
end

# begin cl-pin
complete -c cl-pin -f
complete -c cl-pin -n __fish_use_subcommand -a "add rm update ls get"
complete -c cl-pin -n "__fish_seen_subcommand_from add ls" -l name -x -d "a name"
complete -c cl-pin -n "__fish_seen_subcommand_from add" -s r -l replication -x -d "pin on N peers"
complete -c cl-pin -n "__fish_seen_subcommand_from add" -l rmin -x -d "at least N peers"
complete -c cl-pin -n "__fish_seen_subcommand_from add" -l rmax -x -d "at most N peers"
complete -c cl-pin -n "__fish_seen_subcommand_from add ls" -l mode -x -a "recursive direct"
complete -c cl-pin -n "__fish_seen_subcommand_from add" -l allocations -x -d "peers to try first"
complete -c cl-pin -n "__fish_seen_subcommand_from add ls" -l meta -x -d "KEY=VALUE"
complete -c cl-pin -n "__fish_seen_subcommand_from add" -l expire-in -x -d "unpin after"
complete -c cl-pin -n "__fish_seen_subcommand_from add" -l file -r -F -d "add a file or directory"
complete -c cl-pin -n "__fish_seen_subcommand_from add" -l wait -d "wait until pinned"
complete -c cl-pin -n "__fish_seen_subcommand_from add" -l wait-timeout -x -d "give up --wait after"
complete -c cl-pin -n "__fish_seen_subcommand_from add" -l no-status -d "print pins, not status"
complete -c cl-pin -n "__fish_seen_subcommand_from update" -l keep-old -d "keep FROM pinned"
complete -c cl-pin -n "__fish_seen_subcommand_from ls" -l peer -x -d "allocated to peer"
complete -c cl-pin -n "__fish_seen_subcommand_from ls" -l filter -x -d "FIELD=VALUE"
complete -c cl-pin -n "__fish_seen_subcommand_from ls" -l local -d "this peer's copy"
# end cl-pin

# begin cl-status
complete -c cl-status -f
complete -c cl-status -l local -d "only this peer"
complete -c cl-status -l filter -x -a "error queued pinning pinned unpinned pin_error unpin_error cluster_error unexpectedly_unpinned pin_queued unpin_queued unpinning remote"
# end cl-status

# begin cl-peers
complete -c cl-peers -f
complete -c cl-peers -n __fish_use_subcommand -a "ls id rm health"
# end cl-peers

# begin cl-sync
complete -c cl-sync -f
complete -c cl-sync -n __fish_use_subcommand -a "now recover export import"
complete -c cl-sync -n "__fish_seen_subcommand_from recover" -l local -d "only this peer"
complete -c cl-sync -n "__fish_seen_subcommand_from import" -l replace -d "make the pinset exactly these pins"
complete -c cl-sync -n "__fish_seen_subcommand_from import" -l dry-run -d "check only"
complete -c cl-sync -n "__fish_seen_subcommand_from import" -F
# end cl-sync

# begin cl-raftd
complete -c cl-raftd -f
complete -c cl-raftd -n __fish_use_subcommand -a "init id config run"
complete -c cl-raftd -l help -d "print the options"
complete -c cl-raftd -l version -d "print the version"
complete -c cl-raftd -n "__fish_seen_subcommand_from init id config run" -l home -r -a "(__fish_complete_directories)"
complete -c cl-raftd -n "__fish_seen_subcommand_from init" -l secret -x -d "cluster secret"
complete -c cl-raftd -n "__fish_seen_subcommand_from init" -l force -d "replace"
complete -c cl-raftd -n "__fish_seen_subcommand_from config" -l defaults -d "default config"
complete -c cl-raftd -n "__fish_seen_subcommand_from config" -l keys -d "describe keys"
complete -c cl-raftd -n "__fish_seen_subcommand_from run" -l join -x -d "HOST:PORT"
complete -c cl-raftd -n "__fish_seen_subcommand_from run" -l listen -x -d "HOST:PORT"
complete -c cl-raftd -n "__fish_seen_subcommand_from run" -l advertise -x -d "HOST:PORT"
complete -c cl-raftd -n "__fish_seen_subcommand_from run" -l socket -r -d "tools socket"
complete -c cl-raftd -n "__fish_seen_subcommand_from run" -l profile -x -a "lan wan"
complete -c cl-raftd -n "__fish_seen_subcommand_from run" -l ipfs-api -x -d "IPFS RPC API URL"
complete -c cl-raftd -n "__fish_seen_subcommand_from run" -l log-level -x -a "trace debug info warn error off"
complete -c cl-raftd -n "__fish_seen_subcommand_from run" -s v -l verbose -d "more log detail"
# end cl-raftd
