//go:build unix

package auditstore_test

import (
	"syscall"
	"time"
)

// processCPU is the CPU time the process has used so far, in its own code
// and in the kernel's on its behalf (its syncs included).
func processCPU() time.Duration {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		return 0
	}
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}
