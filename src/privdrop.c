/*
 * privdrop.c - drop root: supplementary groups, then the group, then the
 * user, real, effective and saved alike.  Changing all three user IDs
 * away from 0 clears every capability (capabilities(7)), so nothing is
 * kept; the call checks that it cannot become root again.
 */
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "privdrop.h"

static char privdrop_name[64];	/* who we became; "" while we did not */

/*
 * Becomes `user`; a NULL user means "nobody".  Does nothing when not
 * running as root.  Returns -1 with a message on failure.
 */
int
privdrop(const char *user, char *err, size_t errlen)
{
	struct passwd *pw;

	if (geteuid() != 0)
		return 0;
	if (user == NULL)
		user = "nobody";
	if ((pw = getpwnam(user)) == NULL) {
		snprintf(err, errlen, "no user '%s'", user);
		return -1;
	}
	if (pw->pw_uid == 0)
		return 0;		/* asked to stay root */
	if (setgroups(1, &pw->pw_gid) != 0 ||
	    setresgid(pw->pw_gid, pw->pw_gid, pw->pw_gid) != 0 ||
	    setresuid(pw->pw_uid, pw->pw_uid, pw->pw_uid) != 0) {
		snprintf(err, errlen, "cannot become '%s'", user);
		return -1;
	}
	if (setuid(0) == 0) {
		snprintf(err, errlen, "could become root again");
		return -1;
	}
	snprintf(privdrop_name, sizeof(privdrop_name), "%s", user);
	return 0;
}

/*
 * The user root was given up for, or NULL: why a file the user could
 * write to cannot be created (an export into root's directory).
 */
const char *
privdrop_user(void)
{
	return privdrop_name[0] != '\0' ? privdrop_name : NULL;
}
