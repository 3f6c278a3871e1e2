# cmake -DSLUICE=<binary> -DOUT=<file> -P generate_config.cmake
# The packaged /etc/sluice/sluice.toml: the reference config the built binary prints (every key
# with its default and meaning), with the devlog socket moved from /dev/log to
# /run/sluice/dev-log, because journald owns /dev/log on systemd hosts. The result must pass the
# binary's own --check.
execute_process(COMMAND ${SLUICE} --print-reference-config
                OUTPUT_VARIABLE text RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${SLUICE} --print-reference-config failed (${rc})")
endif()

set(from "# path = \"/dev/log\"  #")
set(to "path = \"/run/sluice/dev-log\"  # journald owns /dev/log on systemd hosts; see /usr/share/doc/sluice/packaging.md.")
string(FIND "${text}" "${from}" at)
if(at EQUAL -1)
  message(FATAL_ERROR "the reference config has no line starting with '${from}': "
                      "update packaging/generate_config.cmake")
endif()
string(REPLACE "${from}" "${to}" text "${text}")

file(WRITE ${OUT}.tmp "${text}")
execute_process(COMMAND ${SLUICE} --check --config ${OUT}.tmp
                OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "the packaged config does not pass --check:\n${err}")
endif()
file(RENAME ${OUT}.tmp ${OUT})
