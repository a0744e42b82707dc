#!/bin/sh
# The image's entrypoint, as eclipse-mosquitto 2.1's: started as root (the image's default), it gives /mosquitto/data
# and /mosquitto/log to PUID:PGID (default 1883:1883, the ids of that image's mosquitto user) and runs the broker as
# that user and group, never as root. Started as another user (docker run --user UID:GID), it changes no owner and
# runs the broker as that user. broker/src/test/java/dev/drawbridge/broker/packaging/ runs this script.
set -eu

if [ "$(id -u)" != 0 ]; then
    exec "$@"
fi

PUID="${PUID:-1883}"
PGID="${PGID:-1883}"
for id in "$PUID" "$PGID"; do
    case "$id" in
        '' | *[!0-9]*)
            echo "Error: PUID and PGID must be numeric ids, found PUID='$PUID' PGID='$PGID'." >&2
            exit 1
            ;;
    esac
done
# Mosquitto stays root with PUID=0; a broker facing the network must not.
if [ "$PUID" -eq 0 ] || [ "$PGID" -eq 0 ]; then
    echo "Error: PUID=$PUID PGID=$PGID would run the broker as root; use another id." >&2
    exit 1
fi

for dir in /mosquitto/data /mosquitto/log; do
    if [ -d "$dir" ]; then
        # A read-only mount stays as it is; the broker then says what it cannot write.
        chown -R "$PUID:$PGID" "$dir" || echo "Warning: cannot give $dir to $PUID:$PGID." >&2
    fi
done

exec setpriv --reuid="$PUID" --regid="$PGID" --clear-groups -- "$@"
