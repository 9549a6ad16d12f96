#!/usr/bin/env bash
# t2i-inflate end to end: every input is made here from CDL text (ncgen),
# then compressed, cut or damaged with gzip, bzip2, tar, head and dd; no
# binary is committed. Round trips are checked with cmp against the ncgen
# file; refusals by their exact exit code and one stderr line, with neither
# OUT nor OUT.tmp left behind.
. "$(dirname "$0")/lib.sh"
bin=${T2I_INFLATE:-$root/build/san/t2i-inflate}
# A sanitizer report must not pass for "bad input" (exit 1).
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}exitcode=86"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}exitcode=86"
cd "$tmp" || exit 3
mkdir out

# A 3-D float field of 24 000 distinct values (96 kB: several tar blocks,
# and enough for two gzip members), as netCDF-4 and as classic.
{
    echo 'netcdf gpp { dimensions: time = 40 ; lat = 20 ; lon = 30 ;'
    echo 'variables: float gpp(time, lat, lon) ; gpp:units = "kg m-2 s-1" ;'
    echo 'data: gpp ='
    seq 1 24000 | paste -sd, -
    echo '; }'
} >gpp.cdl
ncgen -k nc4 -o a.nc gpp.cdl && ncgen -k nc3 -o c.nc gpp.cdl || { bad "ncgen"; tally; exit; }

# inflate ARGS...: runs the program; exit status in $rc, stderr in err.
inflate() {
    "$bin" "$@" 2>err
    rc=$?
}
# round_trip DESC IN REF [OPTIONS...]: IN inflates to out/r.nc equal to REF.
round_trip() {
    local desc=$1 in=$2 ref=$3
    shift 3
    rm -f out/r.nc
    inflate "$@" "$in" out/r.nc
    if [ "$rc" -eq 0 ] && [ ! -s err ] && cmp -s out/r.nc "$ref" && no_tmp out/r.nc; then
        ok "$desc"
    else
        bad "$desc (exit $rc)"
        sed 's/^/     /' err
    fi
}
# refuses DESC RC REASON IN [OPTIONS...]: exit RC, stderr exactly
# "t2i-inflate: IN: REASON", and no out/x.nc nor out/x.nc.tmp.
refuses() {
    local desc=$1 want=$2 reason=$3 in=$4
    shift 4
    rm -f out/x.nc
    inflate "$@" "$in" out/x.nc
    local line="t2i-inflate: $in: $reason"
    if [ "$rc" -eq "$want" ] && [ "$(cat err)" = "$line" ] && [ ! -e out/x.nc ] &&
        no_tmp out/x.nc; then
        ok "$desc"
    else
        bad "$desc (exit $rc, want $want)"
        echo "     got  $(cat err)"
        echo "     want $line"
        ls out | sed 's/^/     left: /'
    fi
}

# ------------------------------------------------------------ round trips
gzip -c a.nc >a.nc.gz
round_trip "gzip: netCDF-4 inflates bit-exact" a.nc.gz a.nc
gzip -c c.nc >c.nc.gz
round_trip "gzip: classic netCDF inflates bit-exact" c.nc.gz c.nc
igzip -c <a.nc >i.nc.gz
round_trip "gzip: igzip's own output inflates bit-exact" i.nc.gz a.nc
head -c 10000 a.nc | gzip -c >m.nc.gz
tail -c +10001 a.nc | gzip -1 -c >>m.nc.gz
round_trip "gzip: two concatenated members are one stream" m.nc.gz a.nc
bzip2 -c a.nc >a.nc.bz2
round_trip "bzip2: inflates bit-exact" a.nc.bz2 a.nc
head -c 10000 a.nc | bzip2 -c >m.nc.bz2
tail -c +10001 a.nc | bzip2 -c >>m.nc.bz2
round_trip "bzip2: two concatenated streams are one" m.nc.bz2 a.nc

mkdir -p t/dir
cp a.nc t/iMAPLE_S3_Annual_cSoil.nc
echo "read me" >t/README
echo notes >t/dir/notes.txt
tar -C t -czf t.nc.tar.gz README dir iMAPLE_S3_Annual_cSoil.nc
round_trip "tar.gz: the one .nc member, beside a readme and a directory" t.nc.tar.gz a.nc
cp t.nc.tar.gz t.tgz
round_trip "tgz: the same archive named .tgz" t.tgz a.nc
tar -C t -cjf t.nc.tar.bz2 iMAPLE_S3_Annual_cSoil.nc
round_trip "tar.bz2: the one .nc member" t.nc.tar.bz2 a.nc
long=$(printf 'x%.0s' $(seq 1 150))
mkdir -p long
cp a.nc "long/$long.nc"
tar -C long --format=gnu -czf gnu.nc.tar.gz "$long.nc"
round_trip "tar.gz: a GNU long name ('L' header) of 153 bytes" gnu.nc.tar.gz a.nc
tar -C long --format=pax -czf pax.nc.tar.gz "$long.nc"
if zcat pax.nc.tar.gz | head -c 1024 | grep -qa "path=x"; then
    round_trip "tar.gz: a pax 'x' header holding the path" pax.nc.tar.gz a.nc
else
    bad "tar --format=pax wrote no pax path record"
fi
# A pax 'x' record giving the member's size, then a GNU 'K' (long link
# name) record, then the member (issue 20): the pax size is the member's,
# not the K record's.
python3 - a.nc paxk.nc.tar <<'PY'
import sys
data = open(sys.argv[1], 'rb').read()
def header(name, size, kind):
    h = bytearray(512)
    h[0:len(name)] = name
    h[100:108] = b'0000644\0'
    h[108:116] = h[116:124] = b'0000000\0'
    h[124:136] = b'%011o\0' % size
    h[136:148] = b'00000000000\0'
    h[156:157] = kind
    h[257:265] = b'ustar\x0000'
    h[148:156] = b' ' * 8
    h[148:156] = b'%06o\0 ' % sum(h)
    return bytes(h)
def block(b):
    return b + b'\0' * (-len(b) % 512)
rec = b'size=%d\n' % len(data)
rec = b'%d %s' % (len(rec) + 3, rec)
link = b'x' * 200 + b'\0'
out = header(b'PaxHeaders/a.nc', len(rec), b'x') + block(rec)
out += header(b'././@LongLink', len(link), b'K') + block(link)
out += header(b'a.nc', 0 if False else 99999, b'0') + block(data)
out += b'\0' * 1024
open(sys.argv[2], 'wb').write(out)
PY
gzip -f paxk.nc.tar
round_trip "tar.gz: a pax size record, then a GNU 'K' record, then the member" paxk.nc.tar.gz a.nc
# An HDF5 user block (h5jam) puts the signature at 512: still netCDF.
printf 'user block\n' >ub.txt
if h5jam -i a.nc -u ub.txt -o ub.nc >/dev/null 2>&1; then
    gzip -c ub.nc >ub.nc.gz
    round_trip "gz: a netCDF-4 file with an HDF5 user block" ub.nc.gz ub.nc
else
    skip "h5jam (hdf5-tools) not installed: the user-block case"
fi
# Endings are read ignoring case, as the plan reads them (names.tsv).
cp gnu.nc.tar.gz UP.NC.TAR.GZ
gzip -c a.nc >Up.Nc.Gz
round_trip "endings in capitals: .NC.TAR.GZ" UP.NC.TAR.GZ a.nc
round_trip "endings in mixed case: .Nc.Gz" Up.Nc.Gz a.nc
tar -C t --format=ustar -czf ustar.nc.tar.gz dir README iMAPLE_S3_Annual_cSoil.nc
round_trip "tar.gz: plain ustar format" ustar.nc.tar.gz a.nc

# 10 MB of scrambled values (8 MB as gzip): more than the 1 MiB read and
# 4 MiB write buffers, so members, tar headers and refills fall at odd
# places inside them.
{
    echo 'netcdf big { dimensions: n = 2500000 ; variables: float v(n) ; data: v ='
    seq 1 2500000 | awk '{printf "%s%d", (NR>1?",":""), ($1*7919)%1000003} END{print ";}"}'
} >big.cdl
ncgen -k nc3 -o big.nc big.cdl
gzip -1 -c big.nc >big.nc.gz
round_trip "gzip: 10 MB, across the buffers" big.nc.gz big.nc
{ head -c 4194305 big.nc | gzip -c; tail -c +4194306 big.nc | gzip -c; } >bigm.nc.gz
round_trip "gzip: 10 MB in two members split at an odd byte" bigm.nc.gz big.nc
{ head -c 3000001 big.nc | bzip2 -c; tail -c +3000002 big.nc | bzip2 -c; } >bigm.nc.bz2
round_trip "bzip2: 10 MB in two streams" bigm.nc.bz2 big.nc
mkdir bigt
cp big.nc bigt/ISAM_S3_LAI.nc
seq 1 5000 >bigt/zz.txt
tar -C bigt -czf bigt.nc.tar.gz ISAM_S3_LAI.nc zz.txt
round_trip "tar.gz: a 10 MB member, then another" bigt.nc.tar.gz big.nc
cp a.nc bigt/zzz.nc
tar -C bigt -czf bigt2.nc.tar.gz ISAM_S3_LAI.nc zz.txt zzz.nc
refuses "tar: a second .nc after a 10 MB one" 1 \
    "tar archive holds more than one '.nc' member ('ISAM_S3_LAI.nc', 'zz.txt', 'zzz.nc'), expected exactly one" \
    bigt2.nc.tar.gz

# A member named ../a.nc (tar -P keeps it) is written to OUT only: nothing
# appears outside out/ and no file named a.nc is touched.
mkdir -p evil/in
cp a.nc evil/a.nc
(cd evil/in && tar -P -czf ../../evil.nc.tar.gz ../a.nc)
if zcat evil.nc.tar.gz | head -c 100 | grep -qa '^\.\./a\.nc'; then
    rm evil/a.nc
    before=$(find . | sort)
    round_trip "tar.gz: a member named '../a.nc' goes to OUT only" evil.nc.tar.gz a.nc
    after=$(find . | sort)
    check "nothing outside OUT is written for '../a.nc'" [ "$before" = "$after" ]
else
    bad "tar -P did not keep the '../' name"
fi

# ------------------------------------------------------------ damaged input
head -c $(($(stat -c %s a.nc.gz) / 2)) a.nc.gz >trunc.nc.gz
refuses "gzip: truncated" 1 "truncated gzip data: it ends inside member 1" trunc.nc.gz
head -c $(($(stat -c %s a.nc.gz) - 4)) a.nc.gz >trail.nc.gz
refuses "gzip: trailer cut" 1 "truncated gzip data: it ends inside member 1" trail.nc.gz
head -c $(($(stat -c %s a.nc.bz2) / 2)) a.nc.bz2 >trunc.nc.bz2
refuses "bzip2: truncated" 1 "truncated bzip2 data: it ends inside stream 1" trunc.nc.bz2
zcat t.nc.tar.gz | head -c 60000 | gzip -c >trunc.nc.tar.gz
refuses "tar: truncated inside the member" 1 \
    "truncated tar archive: it ends inside a member" trunc.nc.tar.gz
zcat t.nc.tar.gz | head -c 2700 | gzip -c >trunch.nc.tar.gz
refuses "tar: truncated inside a header" 1 \
    "truncated tar archive: it ends inside a header" trunch.nc.tar.gz

# flip BYTE_OFFSET FILE: adds 1 (mod 256) to one byte, in place.
flip() {
    local b
    b=$(od -An -tu1 -j "$1" -N1 "$2" | tr -d ' ')
    printf "\\$(printf %03o $(((b + 1) % 256)))" |
        dd of="$2" bs=1 seek="$1" conv=notrunc status=none
}
cp a.nc.gz crc.nc.gz
flip $(($(stat -c %s crc.nc.gz) - 8)) crc.nc.gz
refuses "gzip: a wrong CRC-32" 1 "damaged gzip data in member 1: CRC or length mismatch" crc.nc.gz
cp a.nc.gz len.nc.gz
flip $(($(stat -c %s len.nc.gz) - 4)) len.nc.gz
refuses "gzip: a wrong length" 1 "damaged gzip data in member 1: CRC or length mismatch" len.nc.gz
cp m.nc.gz crc2.nc.gz
flip $(($(stat -c %s crc2.nc.gz) - 8)) crc2.nc.gz
refuses "gzip: a wrong CRC in the second member" 1 \
    "damaged gzip data in member 2: CRC or length mismatch" crc2.nc.gz
cp a.nc.bz2 crc.nc.bz2
flip 2000 crc.nc.bz2
inflate crc.nc.bz2 out/x.nc
check "bzip2: a changed byte is bad input, nothing left" \
    bash -c "[ $rc -eq 1 ] && [ ! -e out/x.nc ] && ! compgen -G 'out/x.nc.tmp*'"
check "bzip2: ... named in one line" grep -qx "t2i-inflate: crc.nc.bz2: damaged bzip2 data in stream 1: .*" err
{ cat a.nc.gz; echo junk; } >junk.nc.gz
refuses "gzip: trailing garbage" 1 "data after gzip member 1 is not gzip" junk.nc.gz
{ cat a.nc.bz2; echo junk; } >junk.nc.bz2
refuses "bzip2: trailing garbage" 1 "data after bzip2 stream 1 is not bzip2" junk.nc.bz2

# ------------------------------------------------------------ wrong content
tar -C t -czf none.nc.tar.gz README dir
refuses "tar: no .nc member, names listed" 1 \
    "tar archive holds no '.nc' regular file (members: 'README', 'dir/', 'dir/notes.txt'), expected exactly one" \
    none.nc.tar.gz
mkdir nl
echo x >"nl/bad
name"
tar -C nl -czf nl.nc.tar.gz "bad
name"
refuses "tar: a control character in a member name stays one line" 1 \
    "tar archive holds no '.nc' regular file (members: 'bad?name'), expected exactly one" \
    nl.nc.tar.gz
cp a.nc t/b.nc
tar -C t -czf two.nc.tar.gz README iMAPLE_S3_Annual_cSoil.nc b.nc
refuses "tar: two .nc members, names listed" 1 \
    "tar archive holds more than one '.nc' member ('README', 'iMAPLE_S3_Annual_cSoil.nc', 'b.nc'), expected exactly one" \
    two.nc.tar.gz
ln -s b.nc t/link.nc
tar -C t -czf link.nc.tar.gz link.nc
refuses "tar: a symlink named .nc" 1 "tar member 'link.nc' is not a regular file (type '2')" \
    link.nc.tar.gz
echo "not netcdf" | gzip -c >text.nc.gz
refuses "gzip: content that is not netCDF" 1 \
    "decompressed data is not netCDF (no CDF or HDF5 signature)" text.nc.gz
seq 1 1000 | bzip2 -c >text.nc.bz2
refuses "bzip2: content that is not netCDF" 1 \
    "decompressed data is not netCDF (no CDF or HDF5 signature)" text.nc.bz2
echo "not netcdf" >t/bad.nc
tar -C t -czf bad.nc.tar.gz bad.nc
refuses "tar: a member that is not netCDF" 1 \
    "decompressed data is not netCDF (no CDF or HDF5 signature)" bad.nc.tar.gz
cp t.nc.tar.gz tar.nc.gz
refuses "a tar named .nc.gz" 1 \
    "decompressed data is not netCDF (no CDF or HDF5 signature): it is a tar archive, expected a name ending in .tar.gz or .tgz" \
    tar.nc.gz
cp a.nc.gz plain.nc.tar.gz
refuses "a plain .nc.gz named .tar.gz" 1 \
    "decompressed data is not a tar archive (bad tar header checksum): it is netCDF, expected a name ending in .nc.gz or .nc.bz2" \
    plain.nc.tar.gz
cp a.nc.bz2 bz.nc.gz
refuses "bzip2 data named .gz" 1 "named as gzip but holds bzip2 data" bz.nc.gz
cp c.nc raw.nc.gz
refuses "an uncompressed netCDF file named .gz" 1 \
    "not gzip data (first bytes 43 44): it is an uncompressed netCDF file" raw.nc.gz
: >empty.nc.gz
refuses "an empty file" 1 "empty file, expected gzip data" empty.nc.gz
cp a.nc.gz a.nc.zip
refuses "an unknown suffix" 1 \
    "unknown container: the name must end in .gz, .bz2, .tar.gz, .tgz, .tar.bz2 or .tbz2" a.nc.zip
refuses "a missing input is an I/O error" 3 "open: No such file or directory" missing.nc.gz

# ------------------------------------------------------------ limits
refuses "--max-bytes: a stream past the limit is stopped" 1 \
    "stopped: inflates past 50000 bytes (--max-bytes)" a.nc.gz --max-bytes 50000
refuses "--max-bytes: a tar member declaring more is stopped at its header" 1 \
    "tar member 'iMAPLE_S3_Annual_cSoil.nc' holds $(stat -c %s a.nc) bytes, more than 50000 (--max-bytes)" \
    t.nc.tar.gz --max-bytes 50000
round_trip "--max-bytes: exactly the size passes" a.nc.gz a.nc --max-bytes "$(stat -c %s a.nc)"
round_trip "--max-bytes: a K suffix" a.nc.gz a.nc --max-bytes 1M
inflate --keep-free 1000000T a.nc.gz out/x.nc
check "--keep-free: more than the disk holds is an I/O error, nothing left" \
    bash -c "[ $rc -eq 3 ] && [ ! -e out/x.nc ] && ! compgen -G 'out/x.nc.tmp*'"
check "--keep-free: ... said in one line" \
    grep -qx "t2i-inflate: a.nc.gz: stopped after 0 bytes: only [0-9]* bytes free on the file system of 'out/x.nc.tmp.[0-9]*', keeping 1099511627776000000 free (--keep-free)" err
# A real small file system, when we may mount one: stopped before it is full.
mkdir small
if [ "$(id -u)" -eq 0 ] && mount -t tmpfs -o size=1m tmpfs small 2>/dev/null; then
    inflate --keep-free 0 a.nc.gz small/x.nc
    check "a 1 MiB file system: stopped before writing, exit 3" \
        [ "$rc" -eq 3 -a -z "$(ls small)" ]
    umount small
else
    echo "ok   (skipped: a 1 MiB tmpfs needs root)"
fi
inflate --max-bytes 12Q a.nc.gz out/x.nc
check "a bad size is a usage error" [ "$rc" -eq 2 ]
inflate a.nc.gz
check "one operand is a usage error" [ "$rc" -eq 2 ]

# ------------------------------------------------------------ the output
echo victim >victim
ln -s "$tmp/victim" out/s.nc.tmp
inflate a.nc.gz out/s.nc
check "a symlink planted at OUT.tmp is not followed" \
    [ "$rc" -eq 0 -a "$(cat victim)" = victim -a ! -e out/s.nc.tmp -a ! -L out/s.nc.tmp ]
check "... and OUT is complete" cmp -s out/s.nc a.nc
ln -s "$tmp/nowhere" out/n.nc.tmp
inflate a.nc.gz out/n.nc
check "a dangling symlink at OUT.tmp creates nothing at its target" [ ! -e nowhere ]
echo old >out/keep.nc
inflate trunc.nc.gz out/keep.nc
check "a failure leaves an existing OUT as it was" [ "$rc" -eq 1 -a "$(cat out/keep.nc)" = old ]
inflate -- a.nc.gz out/y.nc
check "an unknown option is a usage error" [ "$rc" -eq 2 ]

# kill -9 in mid-stream: IN inflates to 1 GB (netCDF, then zeros), so a
# run stopped with SIGSTOP as soon as its OUT.tmp.<pid> appears is surely
# inside the decoder when it is killed (a FIFO, the way this was done before
# issue 20, is now refused at once). Only OUT.tmp.<pid> remains, and the
# next run of the same command removes it.
{ cat a.nc; head -c 1000000000 /dev/zero; } | gzip -1 >k.nc.gz
"$bin" k.nc.gz out/k.nc 2>err &
pid=$!
for _ in $(seq 1 1000); do
    [ -e "out/k.nc.tmp.$pid" ] && break
    sleep 0.01
done
kill -STOP "$pid" 2>/dev/null
kill -9 "$pid"
wait "$pid" 2>/dev/null
check "kill -9 while decoding leaves only OUT.tmp.<pid>" [ -e "out/k.nc.tmp.$pid" -a ! -e out/k.nc ]
rm k.nc.gz
cp a.nc.gz k.nc.gz
inflate k.nc.gz out/k.nc
check "the next run removes it and completes OUT" \
    [ "$rc" -eq 0 -a ! -e out/k.nc.tmp ] && cmp -s out/k.nc a.nc

tally
