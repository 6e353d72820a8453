# foureyes hooks: the part every hook shares, sourced (not run) by ops/hooks/*-hook from their own
# directory (installed: /usr/lib/foureyes/hook-lib.sh, root-owned, mode 0644).
#
# The agent runs unprivileged and starts its hook as root through `sudo -n /usr/lib/foureyes/<c>-hook`
# (ops/sudoers.d, docs/agent.md "Privileges"). sudo's env_reset drops every variable except the four
# the sudoers rule keeps: FOUREYES_COMPONENT, FOUREYES_CHANGE, FOUREYES_CONFIG_SHA256 and
# FOUREYES_RESTORED. So, as root:
#   - settings (output directory, reload command, ...) come from the root-owned file
#     /etc/foureyes/hooks/<c>.env or the hook's defaults, never from the caller;
#   - the four kept values are accepted only in their exact form (they are written into rendered
#     files: a newline in a change id would inject a torrc option or a shell command);
#   - FOUREYES_CONFIG is not kept: the configuration is read from the fixed target path, copied
#     first and checked against FOUREYES_CONFIG_SHA256, so the agent cannot make root read another
#     file (say, by swapping in a symlink after a check).
# Run directly (no sudo: tests, or an agent that runs as root), FOUREYES_CONFIG names the file and is
# used as it is.

foureyes_copy=""
foureyes_cleanup() {
  [ -z "$foureyes_copy" ] || rm -f "$foureyes_copy"
}
trap foureyes_cleanup EXIT

foureyes_refuse() {
  echo "$foureyes_name-hook: $1" >&2
  exit 2
}

# foureyes_hook_init COMPONENT DEFAULT_TARGET: sets $config to the configuration file to render.
foureyes_hook_init() {
  foureyes_name="$1"
  settings="${FOUREYES_HOOK_SETTINGS:-/etc/foureyes/hooks/$1.env}"
  if [ -f "$settings" ]; then
    # Sourced as root: it must be root's alone.
    [ -n "$(find "$settings" -maxdepth 0 -user 0 ! -perm /022 2>/dev/null)" ] \
      || foureyes_refuse "$settings must be owned by root and writable by no one else"
    . "$settings"
  fi
  case "${FOUREYES_COMPONENT:-$1}" in "$1") ;; *) foureyes_refuse "FOUREYES_COMPONENT is not $1";; esac
  case "${FOUREYES_CHANGE:-}" in *[!0-9]*) foureyes_refuse "FOUREYES_CHANGE is not a change id";; esac
  case "${FOUREYES_RESTORED:-0}" in 0|1) ;; *) foureyes_refuse "FOUREYES_RESTORED is not 0 or 1";; esac
  sha="${FOUREYES_CONFIG_SHA256:-}"
  case "$sha" in *[!0-9a-f]*) foureyes_refuse "FOUREYES_CONFIG_SHA256 is not a hex SHA-256";; esac
  [ -z "$sha" ] || [ "${#sha}" -eq 64 ] || foureyes_refuse "FOUREYES_CONFIG_SHA256 is not a hex SHA-256"

  if [ -n "${FOUREYES_CONFIG:-}" ]; then
    config="$FOUREYES_CONFIG"
    return 0
  fi
  target="${FOUREYES_TARGET:-$2}"
  if [ ! -e "$target" ] && [ ! -L "$target" ]; then
    # "No configuration": only when the agent restores exactly that.
    [ -z "$sha" ] || foureyes_refuse "$target does not exist, but the agent applied configuration $sha"
    config="$target"
    return 0
  fi
  [ -n "$sha" ] || foureyes_refuse "$target exists, but the agent passed no FOUREYES_CONFIG_SHA256"
  foureyes_copy="$(mktemp)"
  cat -- "$target" > "$foureyes_copy"
  # The agent writes the RFC 8785 bytes, so the file's SHA-256 is the configuration hash.
  got="$(sha256sum "$foureyes_copy" | cut -d' ' -f1)"
  [ "$got" = "$sha" ] || foureyes_refuse "$target has SHA-256 $got, not the applied configuration $sha"
  config="$foureyes_copy"
}
