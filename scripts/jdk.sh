# Sourced by ./ring0 and tests/run: finds a JDK >= 22 (FFM) and prints its java binary.
# Order: $RING0_JAVA, $JAVA_HOME, Temurin 25 under /usr/lib/jvm, any JDK there, java on PATH.

# The major version of a java binary: from its JDK's release file (a file read, where starting the JVM
# to ask costs 50 ms a launch), else from the JVM itself.
ring0_java_major() {
  local release v
  release="$(dirname "$(dirname "$(readlink -f "$1")")")/release"
  [ -r "$release" ] && v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release")
  if [ -n "${v:-}" ]; then echo "$v"; return; fi
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'
}

ring0_find_java() {
  local c v
  for c in "${RING0_JAVA:-}" "${JAVA_HOME:+$JAVA_HOME/bin/java}" /usr/lib/jvm/temurin-25*/bin/java /usr/lib/jvm/*/bin/java "$(command -v java || true)"; do
    [ -n "$c" ] && [ -x "$c" ] || continue
    v=$(ring0_java_major "$c")
    if [ -n "$v" ] && [ "${v%%.*}" -ge 22 ] 2>/dev/null; then echo "$c"; return 0; fi
  done
  return 1
}
