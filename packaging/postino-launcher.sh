#!/bin/sh
# /usr/bin/postino. The one-shot commands are NativeAOT programs, which start in milliseconds: `postino deliver`
# (once per message, Postfix's mailbox_command) is postino-deliver (which becomes postino-oneshot for a PostgreSQL
# store), `postino user` and `postino expire` are postino-oneshot; every other command (serve, fetch, store, import,
# check-config, --help, --version) is the .NET program. Same arguments, same output, same exit codes. The programs are found beside this
# script's real path (/usr/lib/postino for /usr/bin/postino), so an unpacked package works where it is.
self=$(readlink -f "$0")
lib=${self%/*}/../lib/postino
case "${1-}" in
    deliver)
        shift
        exec "$lib/postino-deliver" "$@"
        ;;
    user | expire)
        exec "$lib/postino-oneshot" "$@"
        ;;
esac
exec "$lib/postino" "$@"
