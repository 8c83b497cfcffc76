# t_listing.sh: the listings of large directories that freeze keeps between
# runs (src/pkg/listing.h) are used only while the directory is unchanged:
# each change is seen, as pip sees it.
. "$(dirname "$0")/lib.sh"

E=$T/env
make_venv "$E" || { echo "Bail out! cannot make a venv"; exit 1; }
SP=$(echo "$E"/lib/python3.*/site-packages)
CACHE=$XDG_CACHE_HOME/venvhook/listings

# A directory on the path (by a .pth file) with more entries than are read
# each time, holding distributions.
X=$T/extra
mkdir -p "$X"
for i in $(seq 1 80); do : >"$X/module_$i.py"; done
distinfo "$X" kept_pkg-1.0.dist-info "Name: kept-pkg" "Version: 1.0"
distinfo "$X" other_pkg-2.0.dist-info "Name: other-pkg" "Version: 2.0"
printf '%s\n' "$X" >"$SP/extra.pth"
records() { grep -ac "^D [0-9]*:$X " "$CACHE" 2>/dev/null; }

same_as_pip "$E" "a directory on the path with many entries: freeze as pip"
: >"$X/module_81.py"
"$VH" freeze --env "$E" >/dev/null 2>&1
is "the listing of a directory changed just now is not kept (its times are not settled)" \
	"$(records)" 0

sleep 3
same_as_pip "$E" "the same directory once settled"
is "... its listing is kept" "$(records)" 1
same_as_pip "$E" "again, from the kept listing"

distinfo "$X" new_pkg-3.0.dist-info "Name: new-pkg" "Version: 3.0"
same_as_pip "$E" "a distribution added to it is seen"
rm -r "$X/kept_pkg-1.0.dist-info"
same_as_pip "$E" "a distribution removed from it is seen"
ok "... (it is gone from freeze's output)" test "$(grep -c kept-pkg "$T/vh.out")" -eq 0

# Renamed in place within the same second, then its times set back: the
# change time still moves.
sleep 3
same_as_pip "$E" "settled again"
is "... kept again" "$(records)" 1
before=$(stat -c %y "$X")
mv "$X/other_pkg-2.0.dist-info" "$X/renamed_pkg-2.0.dist-info"
sed -i 's/^Name: other-pkg/Name: renamed-pkg/' "$X/renamed_pkg-2.0.dist-info/METADATA"
touch -d "$before" "$X"
same_as_pip "$E" "a rename with the directory's mtime set back is seen (ctime moved)"

# A directory replaced by another at the same path.
sleep 3
same_as_pip "$E" "settled once more"
mv "$X" "$T/extra.old"
cp -a "$T/extra.old" "$X"
rm -r "$X/new_pkg-3.0.dist-info"
same_as_pip "$E" "the directory replaced by a copy without one distribution"

# A cache file that is damaged or not understood is no cache.
for damage in "head -c 200" "sed s/^D/X/" "tr 0-9 9-0"; do
	$damage <"$CACHE" >"$T/damaged" && cp "$T/damaged" "$CACHE"
	same_as_pip "$E" "a damaged cache ($damage) is ignored"
done
printf 'venvhook listings 1\nD 99999999999999999999:%s 1 2 3 4.5 6.7 8 9 10\n' "$X" >"$CACHE"
same_as_pip "$E" "a cache with impossible numbers is ignored"

done_testing
