# cl_ipfs_fixture(NAME NODES n API_BASE port SWARM_BASE port [MESH 0]): a ctest fixture `ipfs_<NAME>` of n
# real js-ipfs daemons (scripts/ipfs-nodes.sh), for integration tests that need them.
#
#   integration.ipfs_<NAME>.start  (FIXTURES_SETUP)   clean, install if needed, start n nodes
#   integration.ipfs_<NAME>.stop   (FIXTURES_CLEANUP) stop them by PID; runs even when tests fail
#
# Node i listens on 127.0.0.1:API_BASE+i (API) and SWARM_BASE+i (swarm); its repo, log and PID
# file are in <build>/tests/ipfs-run/<NAME>. Sets CL_IPFS_ENV_<NAME> in the caller's scope: the
# ENVIRONMENT list a test needs to find the nodes (CL_IPFS_RUN, CL_IPFS_API_BASE,
# CL_IPFS_SWARM_BASE, CL_IPFS_NODES, CL_IPFS_NODES_SCRIPT). Give each fixture its own port block
# (tests/integration/README.md lists them) so that `ctest -j` runs suites side by side.
# MESH 0 starts the nodes without swarm-connecting them (CL_IPFS_MESH=0), also on `restart`.
function(cl_ipfs_fixture name)
  cmake_parse_arguments(F "" "NODES;API_BASE;SWARM_BASE;MESH" "" ${ARGN})
  if(NOT DEFINED F_MESH)
    set(F_MESH 1)
  endif()
  set(script ${PROJECT_SOURCE_DIR}/scripts/ipfs-nodes.sh)
  set(env
      CL_IPFS_RUN=${PROJECT_BINARY_DIR}/tests/ipfs-run/${name}
      CL_IPFS_API_BASE=${F_API_BASE}
      CL_IPFS_SWARM_BASE=${F_SWARM_BASE}
      CL_IPFS_NODES=${F_NODES}
      CL_IPFS_NODES_SCRIPT=${script}
      CL_IPFS_MESH=${F_MESH})
  add_test(NAME integration.ipfs_${name}.start
           COMMAND bash -c "\"$0\" clean && \"$0\" install && \"$0\" start ${F_NODES}" ${script})
  add_test(NAME integration.ipfs_${name}.stop COMMAND ${script} stop)
  set_tests_properties(integration.ipfs_${name}.start PROPERTIES
    FIXTURES_SETUP ipfs_${name} ENVIRONMENT "${env}" LABELS integration TIMEOUT 900
    RESOURCE_LOCK ipfs_${name})
  set_tests_properties(integration.ipfs_${name}.stop PROPERTIES
    FIXTURES_CLEANUP ipfs_${name} ENVIRONMENT "${env}" LABELS integration TIMEOUT 120
    RESOURCE_LOCK ipfs_${name})
  set(CL_IPFS_ENV_${name} "${env}" PARENT_SCOPE)
endfunction()
