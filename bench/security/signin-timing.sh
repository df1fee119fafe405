#!/usr/bin/env bash
# Sign-in time by account state (issue 12 §0.2): an unknown address, a locked account and a wrong password must take
# the same time, or timing tells which addresses have accounts and which are locked.
#
# Against a running demo (the password rate limit raised so it does not answer first with 429):
#   Security__SignInAttemptsPerMinute=100000 ./switchboard run      # in another terminal
#   bench/security/signin-timing.sh                                 # BASE=http://host:port to point elsewhere
# Prints the median of 21 requests per state in ms, and the ratio of each to the unknown address (the baseline).
# Locks agent2@acme.test for 15 minutes; every request must answer 401 (checked).
set -euo pipefail
BASE=${BASE:-http://127.0.0.1:5080}
PASSWORD=Lantern-harbor-demo-1

login() { curl -s -o /dev/null -w "%{time_total} %{http_code}\n" -X POST "$BASE/api/v1/auth/login" \
  -H 'Content-Type: application/json' -d "{\"email\":\"$1\",\"password\":\"$2\"}"; }
# Median in ms of "seconds status" lines; fails unless every status is 401.
median() { awk '$2 != 401 { bad = 1 } { print $1 } END { if (bad) { print "unexpected status (not 401): is the rate limit raised?" > "/dev/stderr"; exit 1 } }' \
  | sort -n | awk '{ a[NR] = $1 } END { printf "%.1f", a[int((NR + 1) / 2)] * 1000 }'; }

for _ in 1 2 3 4 5 6; do login agent2@acme.test Wrong-password-1 >/dev/null; done   # lock agent2
for _ in 1 2 3; do login nobody@acme.test Wrong-password-1 >/dev/null; done         # warm up
unknown=$(for i in $(seq 21); do login "nobody-$i@acme.test" Wrong-password-1; done | median)
locked=$(for _ in $(seq 21); do login agent2@acme.test Wrong-password-1; done | median)
# Wrong passwords on manager, four at a time (under the lockout of five), each round reset by a right one.
wrong=$(for _ in $(seq 5); do
  for _ in 1 2 3 4; do login manager@acme.test Wrong-password-1; done
  login manager@acme.test "$PASSWORD" >/dev/null
done | head -21 | median)
ratio() { awk -v a="$1" -v b="$unknown" 'BEGIN { printf "%.2f", a / b }'; }
echo "unknown address  $unknown ms  (baseline)"
echo "locked account   $locked ms  x$(ratio "$locked")"
echo "wrong password   $wrong ms  x$(ratio "$wrong")"
