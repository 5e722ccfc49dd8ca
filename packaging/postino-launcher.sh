#!/bin/sh
# /usr/bin/postino. `postino deliver` runs once per message (Postfix's mailbox_command): it is the NativeAOT build
# postino-deliver, which starts in milliseconds; every other command is the .NET program. Same arguments, same exit
# codes. The programs are found beside this script's real path (/usr/lib/postino for /usr/bin/postino), so an
# unpacked package works where it is.
self=$(readlink -f "$0")
lib=${self%/*}/../lib/postino
if [ "${1-}" = deliver ]; then
    shift
    exec "$lib/postino-deliver" "$@"
fi
exec "$lib/postino" "$@"
