#!/bin/sh
# Exports the foureyes audit log into a new dated directory and verifies it (backups, audits).
#
#   export-log.sh [-c CONFIG | -u URL] [-k LOG_KEY | -k @FILE] [-n KEEP] [-f] [-t TILES] DEST
#
#   -c CONFIG  read the database of this service configuration directly (foureyes export-db;
#              on the foureyes host; default /etc/foureyes/config.yml)
#   -u URL     export over the public read API instead (foureyes export; anywhere)
#   -k KEY     the log's verifier key as you pinned it (or @file). Default: the log.key the export
#              writes, which only proves self-consistency; pin it for a real audit
#   -n KEEP    keep the KEEP newest exports in DEST, delete older ones (default 0: keep all)
#   -f         full verification (policy replay, report) instead of --chain-only
#   -t TILES   also bring the static C2SP tlog-tiles mirror in directory TILES up to date (needs
#              -u; foureyes export --tiles: only new tiles, then the checkpoint; docs/tiles.md)
#   DEST       directory that collects the exports: DEST/<UTC time>-size-<N>/
#
# Each export is written into DEST/.partial-*, verified with foureyes-verify log, and only then
# renamed into place. When DEST already holds an export, its checkpoint is passed as --since, so
# the new export must extend it: a log rewritten or forked since the last backup fails here.
# Environment: FOUREYES_JAR (default /opt/foureyes/foureyes.jar), FOUREYES_VERIFY_JAR (default
# /opt/foureyes/foureyes-verify.jar), JAVA (default java), JAVA_OPTS (e.g. -Xmx4g for -f).
# Exit: 0 exported and verified; 1 verification failed (the partial export is kept for
# inspection as DEST/.failed-*); 2 usage or export error.
set -eu

config=/etc/foureyes/config.yml
url=
key=
keep=0
mode=--chain-only
tiles=
while getopts c:u:k:n:ft:h opt; do
  case "$opt" in
    c) config="$OPTARG" ;;
    u) url="$OPTARG" ;;
    k) key="$OPTARG" ;;
    n) keep="$OPTARG" ;;
    f) mode= ;;
    t) tiles="$OPTARG" ;;
    h) sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "usage: export-log.sh [-c CONFIG | -u URL] [-k KEY] [-n KEEP] [-f] [-t TILES] DEST" >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
[ $# -eq 1 ] || { echo "export-log.sh: expected one DEST directory (see -h)" >&2; exit 2; }
dest="$1"
case "$keep" in ''|*[!0-9]*) echo "export-log.sh: -n needs a number" >&2; exit 2 ;; esac
if [ -n "$tiles" ] && [ -z "$url" ]; then
  echo "export-log.sh: -t TILES reads the service's /tlog/ and needs -u URL" >&2; exit 2
fi

java="${JAVA:-java}"
jar="${FOUREYES_JAR:-/opt/foureyes/foureyes.jar}"
verify_jar="${FOUREYES_VERIFY_JAR:-/opt/foureyes/foureyes-verify.jar}"
for f in "$jar" "$verify_jar"; do
  [ -f "$f" ] || { echo "export-log.sh: $f not found (set FOUREYES_JAR / FOUREYES_VERIFY_JAR)" >&2; exit 2; }
done

mkdir -p "$dest"
# The newest complete export (names sort by time), for --since.
last=$(ls -1d "$dest"/[0-9]*-size-* 2>/dev/null | sort | tail -n 1 || true)
partial="$dest/.partial-$(date -u +%Y%m%dT%H%M%SZ)-$$"
trap 'rm -rf "$partial"' EXIT INT TERM

if [ -n "$url" ]; then
  set -- "$java" ${JAVA_OPTS:-} -jar "$jar" export --url "$url" --out "$partial"
  [ -z "$key" ] || set -- "$@" --key "$key"
else
  set -- "$java" ${JAVA_OPTS:-} -jar "$jar" export-db "$config" --out "$partial"
fi
"$@" >&2 || { echo "export-log.sh: the export failed; nothing was kept" >&2; exit 2; }
[ -f "$partial/checkpoint" ] || { echo "export-log.sh: the export has no checkpoint; nothing was kept" >&2; exit 2; }

[ -n "$key" ] || key="@$partial/log.key"
set -- "$java" ${JAVA_OPTS:-} -jar "$verify_jar" log --key "$key"
[ -z "$mode" ] || set -- "$@" "$mode"
[ -z "$last" ] || set -- "$@" --since "$last/checkpoint"
set +e
"$@" "$partial"
rc=$?
set -e
if [ "$rc" -ne 0 ]; then
  trap - EXIT INT TERM
  failed="$dest/.failed-${partial##*/.partial-}"
  mv "$partial" "$failed"
  echo "export-log.sh: verification failed (exit $rc); the export is kept in $failed" >&2
  exit $(( rc == 1 ? 1 : 2 ))
fi

size=$(sed -n 2p "$partial/checkpoint")
final="$dest/$(date -u +%Y%m%dT%H%M%SZ)-size-$size"
mv "$partial" "$final"
trap - EXIT INT TERM
echo "$final"

if [ "$keep" -gt 0 ]; then
  ls -1d "$dest"/[0-9]*-size-* | sort | head -n "-$keep" | while read -r old; do
    rm -rf "$old"
  done
fi

if [ -n "$tiles" ]; then
  # Pinned to the key the export was just verified with; the mirror copies only what verifies.
  tkey="$key"
  [ "$tkey" != "@$partial/log.key" ] || tkey="@$final/log.key"
  "$java" ${JAVA_OPTS:-} -jar "$jar" export --url "$url" --tiles "$tiles" --key "$tkey" >&2 \
    || { echo "export-log.sh: the tiles mirror $tiles was not updated" >&2; exit 2; }
fi
