# Sourced by the benchmark scripts: what each scenario measures, in one place.
ticks=$(getconf CLK_TCK)

# peak_kib PID: the process's peak RSS so far.
peak_kib() { awk '/VmHWM/ {print $2}' "/proc/$1/status"; }

# steal_ticks: the time this virtual machine's host ran others on its cores, in clock ticks.
steal_ticks() { awk '$1 == "cpu" {print $9}' /proc/stat; }

# cpu_ticks PID: its user + system time so far, in clock ticks.
cpu_ticks() {
  local stat
  stat=($(cut -d' ' -f14,15 "/proc/$1/stat"))
  echo $((stat[0] + stat[1]))
}

# wait_delivered API_PORT OUTPUT N: polls the agent's /metrics until OUTPUT has delivered N
# records (or 4 minutes pass); prints how many it had.
wait_delivered() {
  local delivered=0
  for _ in $(seq 12000); do
    delivered=$(curl -s "127.0.0.1:$1/metrics" |
      awk -v key="sluice_output_delivered_total{output=\"$2\"}" '$1 == key {print $2}')
    [[ ${delivered:-0} -ge $3 ]] && break
    sleep 0.02
  done
  echo "${delivered:-0}"
}

# result N T0 T1 TICKS RSS_KIB LOST: the row a run prints, "msgs/s CPU-s-per-million KiB lost".
result() {
  python3 -c "n=$1; dt=$3-$2; print(f'{n/dt:.0f} {($4/$ticks)/(n/1e6):.3f} {$5} {$6}')"
}
