# The test's own reading of a device tree, independent of buddymon's DT code:
# reads `fdtdump FILE.dtb` and prints what buddymon should find in it, one
# fact a line, numbers in decimal:
#   bank BASE SIZE                 enabled root nodes with device_type "memory"
#   reserved BASE SIZE OWNER       /reserved-memory children with reg,
#                                  /memreserve/ entries, the /chosen initrd,
#                                  the first page of RAM at address 0
#   size-only OWNER SIZE           /reserved-memory children with size, no reg
#   console none | console PATH    what /chosen stdout-path names
#   compatible C...                the console's compatible strings
#   base ADDR                      its first reg entry, through the buses' ranges
#   reg-shift N / reg-io-width N   with their defaults, 0 and 1
# usage: fdtdump FILE.dtb | awk -f hex.awk -f dt_expect.awk
# Numbers are exact below 2^53 (awk's doubles): every address in these trees.

# Splits a <...> value into cells[1..n]; returns n.
function cells_of(value, cells,    inner) {
	inner = value
	gsub(/[<>]/, "", inner)
	return split(inner, cells, " ")
}

# The number made of `count` cells from cells[first].
function cells_value(cells, first, count,    v, i) {
	v = 0
	for (i = 0; i < count; i++)
		v = v * 4294967296 + hexval(cells[first + i])
	return v
}

function cell_prop(path, name, fallback,    c) {
	if (!((path, name) in prop))
		return fallback
	cells_of(prop[path, name], c)
	return hexval(c[1])
}

function string_prop(path, name,    v) {
	v = prop[path, name]
	sub(/^"/, "", v)
	sub(/"$/, "", v)
	return v
}

function parent_of(path) {
	sub(/\/[^\/]*$/, "", path)
	return path == "" ? "/" : path
}

function enabled(path,    s) {
	if (!((path, "status") in prop))
		return 1
	s = string_prop(path, "status")
	return s == "okay" || s == "ok"
}

function owner_of(path,    name) {
	name = path
	sub(/.*\//, "", name)
	sub(/@.*/, "", name)
	return substr(name, 1, 31)
}

# Prints "WHAT BASE SIZE [OWNER]" for each non-empty reg entry of path.
function print_reg(what, path, owner,    ac, sc, c, n, i, size) {
	ac = cell_prop(parent_of(path), "#address-cells", 2)
	sc = cell_prop(parent_of(path), "#size-cells", 1)
	n = cells_of(prop[path, "reg"], c)
	for (i = 1; i + ac + sc - 1 <= n; i += ac + sc) {
		size = cells_value(c, i + ac, sc)
		if (size > 0)
			printf "%s %.0f %.0f%s\n", what, cells_value(c, i, ac), size, owner
		if (size > 0 && what == "bank" && cells_value(c, i, ac) == 0)
			ram_at_zero = 1
	}
}

# An address of path's children, through path's ranges (identity when empty).
function through_ranges(path, addr,    c, n, cac, csc, pac, i, child, size) {
	if (!((path, "ranges") in prop) || prop[path, "ranges"] == "")
		return addr
	cac = cell_prop(path, "#address-cells", 2)
	csc = cell_prop(path, "#size-cells", 1)
	pac = cell_prop(parent_of(path), "#address-cells", 2)
	n = cells_of(prop[path, "ranges"], c)
	for (i = 1; i + cac + pac + csc - 1 <= n; i += cac + pac + csc) {
		child = cells_value(c, i, cac)
		size = cells_value(c, i + cac + pac, csc)
		if (addr >= child && addr - child < size)
			return cells_value(c, i + cac, pac) + addr - child
	}
	return addr
}

function print_console(    path, alias, compat, ac, c, addr, bus) {
	if (("/chosen", "stdout-path") in prop)
		path = string_prop("/chosen", "stdout-path")
	else
		path = string_prop("/chosen", "linux,stdout-path")
	sub(/:.*/, "", path)
	if (path != "" && substr(path, 1, 1) != "/")
		path = string_prop("/aliases", path)
	if (path == "" || !(path in node)) {
		print "console none"
		return
	}
	print "console " path
	compat = prop[path, "compatible"]
	gsub(/", "/, " ", compat)
	gsub(/"/, "", compat)
	print "compatible " compat
	ac = cell_prop(parent_of(path), "#address-cells", 2)
	cells_of(prop[path, "reg"], c)
	addr = cells_value(c, 1, ac)
	for (bus = parent_of(path); bus != "/"; bus = parent_of(bus))
		addr = through_ranges(bus, addr)
	printf "base %.0f\n", addr
	print "reg-shift " cell_prop(path, "reg-shift", 0)
	print "reg-io-width " cell_prop(path, "reg-io-width", 1)
}

/^\/memreserve\// {
	sub(/;$/, "", $3)
	printf "reserved %.0f %.0f memreserve\n", hexval($2), hexval($3)
	next
}
/^ *[^ ]+ \{$/ {
	name = $1
	path = depth == 0 ? "/" : (stack[depth] == "/" ? "/" name : stack[depth] "/" name)
	stack[++depth] = path
	node[path] = 1
	next
}
/^ *\};$/ { depth--; next }
depth > 0 && /;$/ {
	line = $0
	sub(/^ */, "", line)
	sub(/;$/, "", line)
	eq = index(line, " = ")
	if (eq)
		prop[stack[depth], substr(line, 1, eq - 1)] = substr(line, eq + 3)
	else
		prop[stack[depth], line] = ""
}

END {
	for (path in node) {
		if (parent_of(path) == "/" && path != "/" && enabled(path) &&
		    string_prop(path, "device_type") == "memory")
			print_reg("bank", path, "")
		if (parent_of(path) == "/reserved-memory" && enabled(path)) {
			if ((path, "reg") in prop)
				print_reg("reserved", path, " " owner_of(path))
			else if ((path, "size") in prop)
				printf "size-only %s %.0f\n", owner_of(path),
				       cells_value(sizecells, 1, cells_of(prop[path, "size"], sizecells))
		}
	}
	if (("/chosen", "linux,initrd-start") in prop && ("/chosen", "linux,initrd-end") in prop) {
		start = cells_value(ic, 1, cells_of(prop["/chosen", "linux,initrd-start"], ic))
		end = cells_value(ec, 1, cells_of(prop["/chosen", "linux,initrd-end"], ec))
		if (end > start)
			printf "reserved %.0f %.0f initrd\n", start, end - start
	}
	if (ram_at_zero)
		print "reserved 0 4096 null-page"
	print_console()
}
