# hexval("0x1f") = 31: the one hex reader of dt_expect.awk and
# tool_facts.awk (awk -f hex.awk -f ...). Exact below 2^53 (awk's doubles).
function hexval(s,    v, i) {
	sub(/^0x/, "", s)
	v = 0
	for (i = 1; i <= length(s); i++)
		v = v * 16 + index("0123456789abcdef", tolower(substr(s, i, 1))) - 1
	return v
}
