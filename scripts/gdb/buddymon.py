# gdb helpers for a stopped buddymon (make debug loads them through
# build/debug/gdbinit; by hand: `source scripts/gdb/buddymon.py`). They read
# the firmware's one `struct machine` (arch/riscv/boot.c) and print:
#   bm-memmap           the memory map: RAM banks, reservations, usable ranges
#   bm-free [frames|heap]  free blocks per order of each frame zone or heap
#                       chunk, with the first addresses of each list, and
#                       the blocks the caches hold
# Run them once boot_main has set the machine up (after memory_init).
import gdb

LIST_PREVIEW = 4        # addresses printed per free list


def machine():
    return gdb.parse_and_eval("machine")


def print_mem_list(title, mem_list):
    count = int(mem_list["count"])
    print("%s (%d):" % (title, count))
    for i in range(count):
        r = mem_list["r"][i]
        base, size = int(r["base"]), int(r["size"])
        print("  0x%016x  0x%016x  %12d  %s" % (base, base + size, size, r["owner"].string()))


class MemmapCommand(gdb.Command):
    """Print buddymon's memory map: banks, reservations and usable ranges."""

    def __init__(self):
        super().__init__("bm-memmap", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        m = machine()["mem"]["map"]
        print_mem_list("banks", m["banks"])
        print_mem_list("reserved", m["reserved"])
        print_mem_list("usable", m["usable"])


NIL = 0xffffffff  # BUDDY_NIL: the end of a list of zone-relative unit indices
CACHE_HARTS = 8  # BUDDY_CACHE_HARTS: harts with caches in each zone


def node_at(zone, index):
    """The struct buddy_node of the free block at a zone-relative unit index."""
    addr = int(zone["base"]) + (index << int(zone["unit_shift"]))
    return gdb.Value(addr).cast(gdb.lookup_type("struct buddy_node").pointer()).dereference()


def walk(zone, index):
    """Addresses along a list of unit indices linked through the nodes."""
    blocks = []
    shift = int(zone["unit_shift"])
    while index != NIL and len(blocks) <= int(zone["count"]):
        blocks.append(int(zone["base"]) + (index << shift))
        index = int(node_at(zone, index)["next"])
    return blocks


def list_blocks(zone, order):
    """Addresses of the blocks on the free list of one order."""
    return walk(zone, int(zone["head"][order]))


def cached_blocks(zone, order):
    """Addresses of the blocks that the harts' caches hold for one order."""
    blocks = []
    if int(zone["pcp"]) == 0:
        return blocks
    for h in range(CACHE_HARTS):
        pcp = zone["pcp"][h]
        blocks += walk(zone, int(pcp["cache"][order]["top"]))
    return blocks


def print_zone(label, zone):
    shift = int(zone["unit_shift"])
    first = int(zone["first"])
    print("%s 0x%x, %d units of %d bytes" % (label, first << shift, int(zone["count"]), 1 << shift))
    orders = gdb.lookup_type("struct buddy_zone")["head"].type.range()[1] + 1
    cache_orders = gdb.lookup_type("struct buddy_pcp")["cache"].type.range()[1] + 1
    for k in range(orders):
        listed = list_blocks(zone, k)
        cached = cached_blocks(zone, k) if k < cache_orders else []
        if not listed and not cached:
            continue
        preview = " ".join("0x%x" % a for a in listed[:LIST_PREVIEW])
        more = " ..." if len(listed) > LIST_PREVIEW else ""
        print("  order %2d (%d bytes): %d free %s%s"
              % (k, 1 << (k + shift), len(listed), preview, more))
        if cached:
            print("  order %2d cached: %d" % (k, len(cached)))


class FreeCommand(gdb.Command):
    """Print the free lists of buddymon's frame zones and heap chunks: bm-free [frames|heap]."""

    def __init__(self):
        super().__init__("bm-free", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        which = arg.strip() or "all"
        if which not in ("all", "frames", "heap"):
            raise gdb.GdbError("usage: bm-free [frames|heap]")
        mem = machine()["mem"]
        if which in ("all", "frames"):
            frames = mem["frames"]
            for i in range(int(frames["nzones"])):
                print_zone("frames zone", frames["zones"][i])
        if which in ("all", "heap"):
            heap = mem["heap"]
            for i in range(int(heap["nslots"])):
                chunk = heap["chunks"][i]
                if bool(chunk["live"]):
                    print_zone("heap chunk", chunk["zone"])


MemmapCommand()
FreeCommand()
