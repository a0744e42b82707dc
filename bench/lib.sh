# shellcheck shell=bash
# lib.sh - the start the benchmark scripts share; sourced, not run:
#
#   . "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
#
# Sets here (this folder), root (the repository) and, from the environment:
#   jar        DRAWBRIDGE_JAR, default broker/target/drawbridge.jar (see find_jar)
#   java_opts  JAVA_OPTS, default the flags of bench/java-opts
#   mosquitto  MOSQUITTO, default /usr/sbin/mosquitto
# Messages start with the sourcing script's file name.

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
bench_script=$(basename "${BASH_SOURCE[1]:-$0}")
jar=${DRAWBRIDGE_JAR:-$root/broker/target/drawbridge.jar}
java_opts=${JAVA_OPTS:-$(grep -v '^#' "$here/java-opts")}
mosquitto=${MOSQUITTO:-/usr/sbin/mosquitto}

die() { echo "$bench_script: $*" >&2; exit 2; }

# Refuses to go on without the Mosquitto binary; $1 names the Debian packages to install.
require_mosquitto() { # PACKAGES
    [[ -x $mosquitto ]] || die "no Mosquitto at $mosquitto (apt-get install -y $1)"
}

# Builds the load generator; make does nothing when it is up to date.
build_mqttload() {
    make -s -C "$here/mqttload" || die "cannot build mqttload (apt-get install -y gcc make libmosquitto-dev libssl-dev)"
}

# Builds the broker jar with Maven when it is missing, refuses to go on without it, and makes $jar absolute (the
# scripts start brokers from other folders).
find_jar() {
    if [[ ! -f $jar ]]; then
        echo "$bench_script: $jar missing, building it" >&2
        (cd "$root" && mvn -B -q -pl broker -am package -DskipTests)
    fi
    [[ -f $jar ]] || die "no broker jar at $jar"
    jar=$(cd "$(dirname "$jar")" && pwd)/$(basename "$jar")
}
