// wget for the busybox stand-in image: Debian's busybox-static segfaults in its wget applet (even on the host),
// so the stand-in carries this instead, with the flags the README's commands use: -q, -O FILE (- for
// stdout), -T SECONDS, and one http:// URL. Like busybox wget, it exits 1 on any error or a status >= 400.
package main

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"
)

func main() {
	output, timeout, quiet, url := "", 30*time.Second, false, ""
	args := os.Args[1:]
	for i := 0; i < len(args); i++ {
		switch arg := args[i]; {
		case arg == "-q":
			quiet = true
		case arg == "-qO-" || arg == "-qO":
			quiet = true
			output = strings.TrimPrefix(arg, "-qO")
			if output == "" && i+1 < len(args) {
				i++
				output = args[i]
			}
		case arg == "-O" && i+1 < len(args):
			i++
			output = args[i]
		case strings.HasPrefix(arg, "-O"):
			output = strings.TrimPrefix(arg, "-O")
		case arg == "-T" && i+1 < len(args):
			i++
			seconds, err := strconv.Atoi(args[i])
			if err != nil {
				fail("wget: bad -T %q", args[i])
			}
			timeout = time.Duration(seconds) * time.Second
		case strings.HasPrefix(arg, "-"):
			fail("wget (stand-in): unsupported option %s", arg)
		default:
			url = arg
		}
	}
	if url == "" {
		fail("wget (stand-in): no URL")
	}
	if !strings.Contains(url, "://") {
		url = "http://" + url
	}
	client := &http.Client{Timeout: timeout}
	response, err := client.Get(url)
	if err != nil {
		fail("wget: %v", err)
	}
	defer response.Body.Close()
	if response.StatusCode >= 400 {
		fail("wget: server returned error: HTTP/1.1 %s", response.Status)
	}
	var sink io.Writer = os.Stdout
	switch output {
	case "-":
	case "":
		parts := strings.Split(strings.TrimRight(url, "/"), "/")
		name := parts[len(parts)-1]
		if len(parts) <= 3 {
			name = "index.html"
		}
		output = name
		fallthrough
	default:
		file, err := os.Create(output)
		if err != nil {
			fail("wget: %v", err)
		}
		defer file.Close()
		sink = file
	}
	if _, err := io.Copy(sink, response.Body); err != nil {
		fail("wget: %v", err)
	}
	if !quiet {
		fmt.Fprintf(os.Stderr, "Connecting to %s\nsaving to '%s'\n", url, output)
	}
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, format+"\n", args...)
	os.Exit(1)
}
