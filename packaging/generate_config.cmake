# cmake -DSLUICE=<binary> -DOUT=<file> -P generate_config.cmake
# The packaged /etc/sluice/sluice.toml: the reference config, with the devlog socket moved to
# /run/sluice because journald owns /dev/log on systemd hosts.
execute_process(COMMAND ${SLUICE} --print-reference-config OUTPUT_VARIABLE text RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "sluice --print-reference-config failed")
endif()
string(REPLACE "# path = \"/dev/log\"" "path = \"/run/sluice/dev-log\"" text "${text}")
file(WRITE ${OUT} "${text}")
