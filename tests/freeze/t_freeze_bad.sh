# t_freeze_bad.sh: bad metadata: a clear one-line message naming the file,
# status 1, nothing printed, nothing written, no crash.
. "$(dirname "$0")/lib.sh"

E=$T/env
make_venv "$E" --without-pip || { echo "Bail out! cannot make a venv"; exit 1; }
SP=$(echo "$E"/lib/python3.*/site-packages)
distinfo "$SP" good-1.0.dist-info "Name: good" "Version: 1.0"
# pip 23.0.1's rules (the pip Debian seeds); the env needs no working pip.
distinfo "$SP" pip-23.0.1.dist-info "Name: pip" "Version: 23.0.1"
echo "good==1.0" >"$T/want"
"$VH" freeze --env "$E" >"$T/out" 2>"$T/err"
ok "a clean env freezes" cmp -s "$T/want" "$T/out"

# bad NAME DESCRIPTION: with SP/NAME in place, freeze fails cleanly and
# names the offending file; then NAME is removed again.
bad() {
	local name=$1 desc=$2 file=${3:-$SP/$1}
	echo "old contents" >"$T/req.txt"
	"$VH" freeze --env "$E" >"$T/out" 2>"$T/err"
	local st=$?
	"$VH" freeze --env "$E" -o "$T/req.txt" >/dev/null 2>&1
	local st2=$?
	if [ "$st" -eq 1 ] && [ "$st2" -eq 1 ] && [ ! -s "$T/out" ] && [ "$(wc -l <"$T/err")" -eq 1 ] &&
	   grep -qF "'$file" "$T/err" && [ "$(cat "$T/req.txt")" = "old contents" ] &&
	   [ "$(ls "$T" | grep -c 'req.txt.tmp')" -eq 0 ]; then
		pass "$desc: $(cat "$T/err")"
	else
		fail "$desc (status $st, -o status $st2)"
		show "$T/err"
		show "$T/out"
	fi
	rm -rf "${SP:?}/$name"
}

mkdir "$SP/nover.dist-info"
printf 'Metadata-Version: 2.1\nName: nover\n' >"$SP/nover.dist-info/METADATA"
bad nover.dist-info "a dist-info without a version" "$SP/nover.dist-info"

mkdir "$SP/latin-1.0.dist-info"
printf 'Name: latin\nVersion: 1.0\nSummary: caf\xe9\n' >"$SP/latin-1.0.dist-info/METADATA"
bad latin-1.0.dist-info "METADATA that is not UTF-8" "$SP/latin-1.0.dist-info/METADATA"

mkdir "$SP/garbage-1.0.dist-info"
head -c 4096 /dev/urandom >"$SP/garbage-1.0.dist-info/METADATA"
printf '\0\0' >>"$SP/garbage-1.0.dist-info/METADATA"
bad garbage-1.0.dist-info "binary garbage" "$SP/garbage-1.0.dist-info/METADATA"

mkdir "$SP/nul-1.0.dist-info"
printf 'Name: nul\nVersion: 1.0\n\0\n' >"$SP/nul-1.0.dist-info/METADATA"
bad nul-1.0.dist-info "a NUL byte in METADATA" "$SP/nul-1.0.dist-info/METADATA"

mkdir "$SP/huge-1.0.dist-info"
{ printf 'Name: huge\nVersion: 1.0\n\n'; head -c 17000000 /dev/zero | tr '\0' x; } \
	>"$SP/huge-1.0.dist-info/METADATA"
bad huge-1.0.dist-info "a METADATA larger than 16 MiB" "$SP/huge-1.0.dist-info/METADATA"

mkdir "$SP/loop-1.0.dist-info"
ln -s METADATA "$SP/loop-1.0.dist-info/METADATA"
bad loop-1.0.dist-info "an unreadable METADATA (a symlink loop)" "$SP/loop-1.0.dist-info/METADATA"

mkdir "$SP/fifo-1.0.dist-info"
mkfifo "$SP/fifo-1.0.dist-info/METADATA"
bad fifo-1.0.dist-info "a METADATA that is a FIFO" "$SP/fifo-1.0.dist-info/METADATA"

printf 'Name: eggfile\nVersion: \xff\n' >"$SP/eggfile-1.0.egg-info"
bad eggfile-1.0.egg-info "an egg-info file that is not UTF-8" "$SP/eggfile-1.0.egg-info"

# A missing version matters only where pip prints one: not for a URL install.
mkdir "$SP/urlnover.dist-info"
printf 'Name: urlnover\n' >"$SP/urlnover.dist-info/METADATA"
printf '{"url": "https://example.invalid/u.whl", "archive_info": {}}' >"$SP/urlnover.dist-info/direct_url.json"
"$VH" freeze --env "$E" >"$T/out" 2>"$T/err"
ok "no version, but installed from a URL: printed as pip does" \
	test "$(cat "$T/out")" = "$(printf 'good==1.0\nurlnover @ https://example.invalid/u.whl')"
rm -r "$SP/urlnover.dist-info"

# What pip itself only warns about: it skips the distribution, so do we.
mkdir "$SP/noname-1.0.dist-info"
printf 'Version: 1.0\n' >"$SP/noname-1.0.dist-info/METADATA"
mkdir "$SP/empty-1.0.dist-info"
: >"$SP/empty-1.0.dist-info/METADATA"
mkdir "$SP/badjson-1.0.dist-info"
printf 'Name: badjson\nVersion: 1.0\n' >"$SP/badjson-1.0.dist-info/METADATA"
head -c 300 /dev/urandom >"$SP/badjson-1.0.dist-info/direct_url.json"
printf 'badjson==1.0\ngood==1.0\n' >"$T/want"
"$VH" freeze --env "$E" >"$T/out" 2>"$T/err"
st=$?
ok "no Name, empty METADATA, corrupt direct_url.json: skipped with warnings as pip does" \
	test "$st" -eq 0 -a "$(grep -c warning "$T/err")" -eq 3
ok "... and the rest is printed" cmp -s "$T/want" "$T/out"

# A broken env.
mkdir "$T/notenv"
"$VH" freeze --env "$T/notenv" >"$T/out" 2>"$T/err"
ok "--env naming a directory without pyvenv.cfg: status 2, one line" \
	test $? -eq 2 -a "$(wc -l <"$T/err")" -eq 1 -a ! -s "$T/out"
"$VH" freeze --env "$E" -o "$T/no/such/dir/req.txt" >/dev/null 2>"$T/err"
ok "-o into a missing directory: status 1, message names the file" \
	test $? -eq 1 -a "$(grep -c "'$T/no/such/dir/req.txt'" "$T/err")" -eq 1
"$VH" freeze --env "$E" >/dev/full 2>"$T/err"
ok "a full standard output: status 1" test $? -eq 1
done_testing
