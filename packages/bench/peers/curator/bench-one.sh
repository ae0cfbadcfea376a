#!/bin/sh
# Run one zk-lock benchmark workload with Apache Curator (Debian's libcurator-recipes-java):
#
#     ./bench-one.sh <connectString> <W1|W2|W3|W4|W4h> [--smoke] [--prefix <znode path>]
#
# Builds the classpath from /usr/share/java and runs BenchOne.java with Java's source launcher
# (JDK 11+), so there is no build step. slf4j-nop keeps Curator's and ZooKeeper's logging off
# stdout, which carries exactly one JSON result line.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
java_dir=${BENCH_JAVA_DIR:-/usr/share/java}
cp=
for jar in curator-recipes curator-framework curator-client zookeeper zookeeper-jute guava \
           slf4j-api slf4j-nop netty-common netty-buffer netty-transport netty-resolver \
           netty-handler netty-codec netty-transport-native-unix-common netty-transport-native-epoll; do
    if [ ! -f "$java_dir/$jar.jar" ]; then
        echo "bench-one.sh: $java_dir/$jar.jar is missing (apt install libcurator-recipes-java libslf4j-java)" >&2
        exit 2
    fi
    cp="$cp${cp:+:}$java_dir/$jar.jar"
done
exec java -cp "$cp" "$here/BenchOne.java" "$@"
