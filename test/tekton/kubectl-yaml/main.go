// kubectl's YAML reading, for tektite's differential test (test/tekton/kubectl-yaml.test.ts):
// each YAML text of a JSON array on stdin goes through sigs.k8s.io/yaml's YAMLToJSON (Go's
// yaml.v2, then JSON), as kubectl reads a manifest; stdout gets, per text, the JSON it sends or
// the error it stops at. With -documents, each text's documents, as a JSON array. Built with Debian's golang-go and golang-k8s-sigs-yaml-dev (GOPATH mode).
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	goyaml "gopkg.in/yaml.v2"
	"sigs.k8s.io/yaml"
)

type result struct {
	JSON  *string `json:"json,omitempty"`
	Error *string `json:"error,omitempty"`
	// Two keys of one map that YAMLToJSON turns into the same JSON key (the int 0 and the float
	// 0.0, the boolean true and the text "true"): which value it keeps depends on Go's map order.
	Ambiguous bool `json:"ambiguous,omitempty"`
}

// jsonKey approximates the key YAMLToJSON makes of a decoded key (enough to see two collide).
func jsonKey(k interface{}) string {
	switch v := k.(type) {
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'g', -1, 32)
	default:
		return fmt.Sprint(v)
	}
}

func ambiguous(v interface{}) bool {
	switch t := v.(type) {
	case map[interface{}]interface{}:
		seen := map[string]bool{}
		for k, x := range t {
			s := jsonKey(k)
			if seen[s] || ambiguous(x) {
				return true
			}
			seen[s] = true
		}
	case []interface{}:
		for _, x := range t {
			if ambiguous(x) {
				return true
			}
		}
	}
	return false
}

// documents reads every document of a multi-document text as kubectl does, one at a time:
// yaml.v2 decodes it, and sigs.k8s.io/yaml turns that into JSON.
func documents(text string) result {
	dec := goyaml.NewDecoder(strings.NewReader(text))
	var docs []json.RawMessage
	for {
		var v interface{}
		err := dec.Decode(&v)
		if err == io.EOF {
			break
		}
		if err == nil && v == nil {
			continue // an empty document, which kubectl passes over
		}
		if err == nil {
			var y []byte
			if y, err = goyaml.Marshal(v); err == nil {
				var j []byte
				if j, err = yaml.YAMLToJSON(y); err == nil {
					docs = append(docs, j)
					continue
				}
			}
		}
		e := err.Error()
		return result{Error: &e}
	}
	all, _ := json.Marshal(docs)
	s := string(all)
	return result{JSON: &s}
}

func main() {
	multi := len(os.Args) > 1 && os.Args[1] == "-documents"
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
		if multi {
			out[i] = documents(t)
			continue
		}
		j, err := yaml.YAMLToJSON([]byte(t))
		if err != nil {
			e := err.Error()
			out[i].Error = &e
			continue
		}
		s := string(j)
		out[i].JSON = &s
		var decoded interface{}
		if goyaml.Unmarshal([]byte(t), &decoded) == nil {
			out[i].Ambiguous = ambiguous(decoded)
		}
	}
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		panic(err)
	}
}
