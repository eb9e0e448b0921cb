/* Loading the built device trees (dtb_file.h). */
#include <stdio.h>
#include <stdlib.h>

#include "tests/host/support/dtb_file.h"

void *dtb_file_load(const char *name, size_t *size)
{
	const char *build = getenv("BUILD") ? getenv("BUILD") : "build";
	char path[512];
	snprintf(path, sizeof(path), "%s/dts/%s", build, name);
	FILE *f = fopen(path, "rb");
	if (!f) {
		printf("# cannot open %s\n", path);
		return NULL;
	}
	fseek(f, 0, SEEK_END);
	long len = ftell(f);
	fseek(f, 0, SEEK_SET);
	void *buf = malloc((size_t)len);
	if (fread(buf, 1, (size_t)len, f) != (size_t)len) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	*size = (size_t)len;
	return buf;
}
