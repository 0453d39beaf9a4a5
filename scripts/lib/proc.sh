# Figures of a running process from /proc, for the benchmark scripts (sourced).
#   rss_kb PID      resident memory now          hwm_kb PID   its peak
#   anon_kb PID     its own (anonymous) memory, without the shared library code
#                   that every desktop process maps too
#   cpu_ticks PID   user + system time, with that of its finished children (the
#                   agent does each check in a child process), in clock ticks
#   switches PID    context switches of all its threads: how often it woke up
#   mb KB           kilobytes as megabytes, one decimal
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
hwm_kb() { awk '/^VmHWM/ {print $2}' "/proc/$1/status"; }
anon_kb() { awk '/^Pss_Anon/ {print $2}' "/proc/$1/smaps_rollup"; }
cpu_ticks() { awk '{print $14 + $15 + $16 + $17}' "/proc/$1/stat"; }
switches() { cat /proc/"$1"/task/*/status | awk '/ctxt_switches/ {s += $2} END {print s}'; }
mb() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
