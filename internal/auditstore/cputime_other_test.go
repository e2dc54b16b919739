//go:build !unix && !js

package auditstore_test

import "time"

// processCPU is not read on this system: it is always zero.
func processCPU() time.Duration { return 0 }
