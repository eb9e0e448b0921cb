# Compares, for one board tree, what dt_expect.awk read from the .dtb with
# what buddymon-dt printed (through tool_facts.awk) and prints TAP lines
# (unnumbered): RAM banks, reserved rows, console and exit status, and the
# --boot-firmware reservation.
# usage: awk -v name=TREE -v status=N -v explained=N -f compare.awk \
#            DRIVERS DT_FACTS TOOL_FACTS TOOL_FACTS_WITH_BOOT_FIRMWARE
# DRIVERS: "DRIVER COMPATIBLE" lines from the drivers' tables.

FNR == 1 { file++ }
file == 1 { drivers[$2] = drivers[$2] " " $1; next }
{ kind = $1 }
file == 2 { dt[kind] = dt[kind] "\n" $0 }
file == 3 { tool[kind] = tool[kind] "\n" $0 }
file == 4 { fw[kind] = fw[kind] "\n" $0 }

# The lines of a "\n"-joined list, sorted, joined by " | ".
function sorted(list,    a, n, i, j, t, out) {
	n = split(substr(list, 2), a, "\n")
	for (i = 2; i <= n; i++)
		for (j = i; j > 1 && a[j - 1] > a[j]; j--) {
			t = a[j]; a[j] = a[j - 1]; a[j - 1] = t
		}
	for (i = 1; i <= n; i++)
		out = out (i > 1 ? " | " : "") a[i]
	return out
}

function check(what, want, got) {
	if (want == got) {
		print "ok - " name ": " what
	} else {
		print "not ok - " name ": " what
		print "#   expected: " want
		print "#   tool:     " got
	}
}

# The driver the tables give for the console's compatible strings; when
# several drivers match, the tool's choice is accepted if it is one of them.
function expected_driver(    c, n, i, found, chosen) {
	n = split(substr(dt["compatible"], 2), c, " ")
	found = ""
	for (i = 2; i <= n; i++)
		if (c[i] in drivers)
			found = found drivers[c[i]]
	chosen = tool["driver"]
	sub(/^\ndriver /, "", chosen)
	if (found == "")
		return "none"
	return index(found " ", " " chosen " ") ? chosen : substr(found, 2)
}

END {
	check("RAM banks", dt["bank"] == "" ? "no-ram" : sorted(dt["bank"]),
	      sorted(tool["bank"] tool["no-ram"]))
	check("reserved rows", sorted(dt["reserved"] dt["size-only"]),
	      sorted(tool["reserved"] tool["size-only"]))

	driver = expected_driver()
	want = sorted(dt["console"] dt["compatible"]) " | driver " driver
	if (driver != "none")
		want = want " | " sorted(dt["base"] dt["reg-shift"] dt["reg-io-width"])
	want = want " | exit " explained
	got = sorted(tool["console"] tool["compatible"]) " | " sorted(tool["driver"])
	if (driver != "none")
		got = got " | " sorted(tool["base"] tool["reg-shift"] tool["reg-io-width"])
	got = got " | exit " status
	check("console and exit status", want, got)

	split(sorted(tool["bank"]), first, " ")
	added = first[2] == "" ? "" : "\nreserved " first[2] " 524288 mmode_resv0"
	check("--boot-firmware adds OpenSBI's 512 KiB at the RAM base",
	      sorted(tool["bank"] tool["reserved"] tool["size-only"] added),
	      sorted(fw["bank"] fw["reserved"] fw["size-only"]))
}
