/* fuzz/null_harness.c — the AFL++ ceiling: a persistent-mode, shared-memory harness that
 * does nothing with its input.  `make -C fuzz bench` runs afl-fuzz on it with the same
 * settings as on the real harness; its execs/s is the most AFL++ can deliver on this
 * machine, against which the harness's throughput is reported.
 */
#include <stddef.h>
#include <stdint.h>

#ifdef __AFL_FUZZ_TESTCASE_LEN
#include <unistd.h>
__AFL_FUZZ_INIT();
#endif

volatile uint8_t pgv_null_sink;

int main(void)
{
#ifdef __AFL_FUZZ_TESTCASE_LEN
#ifdef __AFL_HAVE_MANUAL_CONTROL
    __AFL_INIT();
#endif
    const unsigned char *buf = __AFL_FUZZ_TESTCASE_BUF;
    while (__AFL_LOOP(100000)) {
        size_t len = (size_t)__AFL_FUZZ_TESTCASE_LEN;
        if (len > 0)
            pgv_null_sink = buf[0];
    }
#endif
    return 0;
}
