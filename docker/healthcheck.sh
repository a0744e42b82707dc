#!/bin/bash
# Container health probe (HEALTHCHECK in the Dockerfile): the broker is healthy when 127.0.0.1:PORT answers an MQTT
# CONNECT with a CONNACK, whatever its return code (a broker that refuses anonymous clients is still up).
# The image has no MQTT clients, so bash's /dev/tcp speaks the two packets itself.
#
#   healthcheck.sh [PORT [mqtt|tcp]]     default: 1883 mqtt; tcp only checks that the port accepts a connection
set -u
port="${1:-1883}"
mode="${2:-mqtt}"

exec 3<>"/dev/tcp/127.0.0.1/${port}" || exit 1
if [ "${mode}" = tcp ]; then
    exit 0
fi
# CONNECT, MQTT 3.1.1: type 0x10, remaining length 0x22 (34); protocol name 00 04 "MQTT", level 04, flags 02 (clean
# session), keep-alive 00 0a (10 s); client id 00 16 (22) "drawbridge-healthcheck".
printf '\x10\x22\x00\x04MQTT\x04\x02\x00\x0a\x00\x16drawbridge-healthcheck' >&3
# CONNACK starts with type 0x20 and remaining length 0x02.
reply=$(timeout 5 head -c 2 <&3 | od -An -tx1 | tr -d ' \n')
# DISCONNECT, so the broker logs a clean disconnect rather than a dropped client.
printf '\xe0\x00' >&3 2>/dev/null
if [ "${reply}" != 2002 ]; then
    echo "healthcheck: no CONNACK from 127.0.0.1:${port} (first bytes: '${reply}')" >&2
    exit 1
fi
