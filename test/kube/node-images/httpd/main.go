// Command httpd is the tiny HTTP server workload of the real-node tests (test/kube/realnode.sh):
// GET /healthz answers 200 "ok" (the readiness probe), every other path answers the Pod's name.
package main

import (
	"fmt"
	"log"
	"net/http"
	"os"
)

func main() {
	addr := ":" + envOr("PORT", "8080")
	name := envOr("POD_NAME", "httpd")
	http.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintln(w, "ok") })
	http.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintln(w, name) })
	log.Printf("httpd listening on %s", addr)
	log.Fatal(http.ListenAndServe(addr, nil))
}

func envOr(key, fallback string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return fallback
}
