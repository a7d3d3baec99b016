/* model/names.c — printable names of the model's enumerations (ISA manual §5, §7, §8).
 *
 * Cause, profile, event and stop-reason names used by every printer and parser, so
 * that the CLI, the JSON output and the manual spell them the same way.
 */
#include <string.h>
#include "pgv.h"

static const char *const cause_names[PGV_NCAUSES] = {
    "NONE", "PRIV", "BOUNDS", "ILLEGAL", "SVC", "TIMER"
};
static const char *const profile_names[PGV_NPROFILES] = { "pg", "popf", "jrst", "redpill" };

const char *pgv_cause_name(uint32_t cause)
{
    return cause < PGV_NCAUSES ? cause_names[cause] : "?";
}

const char *pgv_profile_name(uint32_t profile)
{
    return profile < PGV_NPROFILES ? profile_names[profile] : "?";
}

int pgv_profile_parse(const char *name)
{
    for (int i = 0; i < (int)PGV_NPROFILES; i++)
        if (strcmp(name, profile_names[i]) == 0)
            return i;
    return -1;
}

const char *pgv_event_name(pgv_event ev)
{
    switch (ev) {
    case PGV_EV_EXEC: return "exec";
    case PGV_EV_TRAP: return "trap";
    case PGV_EV_HALT: return "halt";
    case PGV_EV_IDLE: return "idle";
    }
    return "?";
}

const char *pgv_stop_name(pgv_stop st)
{
    switch (st) {
    case PGV_STOP_HALT: return "halt";
    case PGV_STOP_BUDGET: return "budget";
    case PGV_STOP_TRAP: return "trap";
    }
    return "?";
}
