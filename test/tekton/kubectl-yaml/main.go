// kubectl's YAML reading, for tektite's differential test (test/tekton/kubectl-yaml.test.ts):
// each YAML text of a JSON array on stdin goes through sigs.k8s.io/yaml's YAMLToJSON (Go's
// yaml.v2, then JSON), as kubectl reads a manifest; stdout gets, per text, the JSON it sends or
// the error it stops at. Built with Debian's golang-go and golang-k8s-sigs-yaml-dev (GOPATH mode).
package main

import (
	"encoding/json"
	"io"
	"os"

	"sigs.k8s.io/yaml"
)

type result struct {
	JSON  *string `json:"json,omitempty"`
	Error *string `json:"error,omitempty"`
}

func main() {
	in, err := io.ReadAll(os.Stdin)
	if err != nil {
		panic(err)
	}
	var texts []string
	if err := json.Unmarshal(in, &texts); err != nil {
		panic(err)
	}
	out := make([]result, len(texts))
	for i, t := range texts {
		j, err := yaml.YAMLToJSON([]byte(t))
		if err != nil {
			e := err.Error()
			out[i].Error = &e
			continue
		}
		s := string(j)
		out[i].JSON = &s
	}
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		panic(err)
	}
}
