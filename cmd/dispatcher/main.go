// Command dispatcher reads, validates and loads the regulated files of
// Italian electricity and gas sellers. Run "dispatcher help" for the commands.
package main

import (
	"fmt"
	"os"
)

func main() {
	os.Exit(run(os.Args[1:]))
}

func run(args []string) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		fmt.Println("usage: dispatcher <command> [arguments]")
		return 0
	}
	fmt.Fprintf(os.Stderr, "dispatcher: unknown command %q; run \"dispatcher help\"\n", args[0])
	return 2
}
