package run

import (
	"io/fs"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

// stageFolder is a stage folder's name: NAME-KEY, KEY 12 hex digits.
var stageFolder = regexp.MustCompile(`^([a-z0-9]+)-([0-9a-f]{12})$`)

// FindStages lists the stage folders under root, in path order: root may be
// a run directory (RUN/stages), a sweep (SWEEP/store), a store, or a folder
// holding any of them. names are the stage names there may be; other
// folders are searched, not listed.
func FindStages(root string, names []string) ([]*Stage, error) {
	var found []*Stage
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			return nil
		}
		if m := stageFolder.FindStringSubmatch(d.Name()); m != nil && slices.Contains(names, m[1]) && path != root {
			found = append(found, &Stage{Name: m[1], Key: m[2], Path: path})
			return filepath.SkipDir
		}
		return nil
	})
	return found, err
}

// References are the stage keys that the runs under a folder refer to,
// from their manifests: the stages each run used, and those it was set up
// to use when it started.
type References map[string]bool

// FindReferences reads every manifest.json under root (outside stage
// folders). A manifest that cannot be read is an error: gc must not guess.
func FindReferences(root string, names []string) (References, error) {
	refs := References{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if m := stageFolder.FindStringSubmatch(d.Name()); m != nil && slices.Contains(names, m[1]) {
				return filepath.SkipDir
			}
			return nil
		}
		if d.Name() != "manifest.json" {
			return nil
		}
		var man Manifest
		if err := ReadJSON(path, &man); err != nil {
			return err
		}
		for _, t := range man.Stages {
			refs[t.Key] = true
		}
		for _, k := range man.Keys {
			refs[k] = true
		}
		return nil
	})
	return refs, err
}

// Refers reports whether a run refers to the stage.
func (r References) Refers(s *Stage) bool { return r[s.Key] }

// Rel is path relative to root, or path itself when it is not under root.
func Rel(root, path string) string {
	rel, err := filepath.Rel(root, path)
	if err != nil || strings.HasPrefix(rel, "..") {
		return path
	}
	return rel
}
