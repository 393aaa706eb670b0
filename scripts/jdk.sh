# Sourced by ./ring0 and tests/run: finds a JDK >= 22 (FFM) and prints its java binary.
# Order: $RING0_JAVA, $JAVA_HOME, Temurin 25 under /usr/lib/jvm, any JDK there, java on PATH.

ring0_java_major() { "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }

ring0_find_java() {
  local c v
  for c in "${RING0_JAVA:-}" "${JAVA_HOME:+$JAVA_HOME/bin/java}" /usr/lib/jvm/temurin-25*/bin/java /usr/lib/jvm/*/bin/java "$(command -v java || true)"; do
    [ -n "$c" ] && [ -x "$c" ] || continue
    v=$(ring0_java_major "$c")
    if [ -n "$v" ] && [ "${v%%.*}" -ge 22 ] 2>/dev/null; then echo "$c"; return 0; fi
  done
  return 1
}
