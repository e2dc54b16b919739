package main

import "syscall"

// On Linux workerd is killed with the test process, however that ends (a
// panic runs no cleanup).
func init() { workerdProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL} }
