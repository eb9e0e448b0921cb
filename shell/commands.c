/*
 * The list of command groups the shell knows, in `help` order. Each
 * shell/cmd_NAME.c defines `const struct command_group cmd_NAME_group`;
 * adding a group is adding one `GROUP(NAME) \` line below.
 */
#include "shell/command.h"

#define COMMAND_GROUPS(GROUP) \
	GROUP(core) \
	GROUP(mem) \
	GROUP(map) \
	GROUP(alloc) \
	GROUP(stats) \
	GROUP(stress) \
	GROUP(sys) \
	GROUP(harts) \
	GROUP(memtest) \
	GROUP(md) \
	GROUP(sbi) \
	/* end of the list */

#define DECLARE_GROUP(name) extern const struct command_group cmd_##name##_group;
#define LIST_GROUP(name) &cmd_##name##_group,

COMMAND_GROUPS(DECLARE_GROUP)

const struct command_group *const shell_command_groups[] = {
	COMMAND_GROUPS(LIST_GROUP)
	NULL
};
