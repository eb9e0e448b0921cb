# Reads buddymon-dt's output and prints the facts dt_expect.awk prints for
# the same tree, in the same format (numbers in decimal), plus the driver:
#   bank, reserved (the rows the tree gives, not payload, boot-stack, dtb or
#   frame-metadata), size-only, console, compatible, driver NAME | driver none,
#   base, reg-shift, reg-io-width, and "no-ram" when the tool says so.
# usage: awk -f hex.awk -f tool_facts.awk OUTPUT

/^ram banks/ { banks = 1; next }
/^mem:/ { banks = 0 }
banks && /^  0x/ {
	split($1, r, "-")
	printf "bank %.0f %.0f\n", hexval(r[1]), hexval(r[2]) - hexval(r[1])
}
/^0x/ && $(NF - 1) == "reserved" && $NF !~ /^(payload|boot-stack|dtb|frame-metadata)$/ {
	printf "reserved %.0f %.0f %s\n", hexval($1), hexval($3), $NF
}
/^size-only reservation: / { printf "size-only %s %.0f\n", $3, hexval($5) }
/^note: no RAM: / { print "no-ram" }
/^  node: / { print "console " $2; console = 1 }
/^  compatible: / {
	line = $0
	sub(/^  compatible: */, "", line)
	gsub(/", "/, " ", line)
	gsub(/"/, "", line)
	print "compatible " line
}
/^  driver: / { print "driver " ($2 == "none:" ? "none" : $2) }
/^  base: / { printf "base %.0f\n", hexval($2) }
/^  reg-shift: / { print "reg-shift " $2 }
/^  reg-io-width: / { print "reg-io-width " $2 }
END { if (!console) print "console none" }
