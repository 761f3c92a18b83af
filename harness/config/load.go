package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"reflect"
	"slices"
	"sort"
	"strings"

	"github.com/go-viper/mapstructure/v2"
	"github.com/spf13/viper"
)

// EnvPrefix is the prefix of environment overrides: SEGQA_RECNET_LR=1e-4
// sets recnet.lr.
const EnvPrefix = "SEGQA"

// Load reads the YAML file at path (none when path is empty), then SEGQA_*
// environment variables from environ, then the key=value overrides in sets,
// each layer over the previous and all over Default. The result is
// validated.
func Load(path string, environ []string, sets []string) (Config, error) {
	c, err := decode(path, environ, sets)
	if err != nil {
		return Config{}, err
	}
	if err := c.Validate(); err != nil {
		return Config{}, fmt.Errorf("config %s: %w", orDefault(path), err)
	}
	return c, nil
}

// decode is Load without the validation: the settings as given, an
// out-of-range value included, or an error for a file, key or value that
// cannot be read.
func decode(path string, environ []string, sets []string) (Config, error) {
	def := Default()
	v := viper.New()
	keys := defaultKeys(v, def)
	if path != "" {
		v.SetConfigFile(path)
		v.SetConfigType("yaml")
		if err := v.ReadInConfig(); err != nil {
			return Config{}, fmt.Errorf("config %s: %w", path, err)
		}
		if err := checkKeys(v.AllKeys(), keys, path); err != nil {
			return Config{}, err
		}
	}
	if err := applyEnv(v, keys, environ); err != nil {
		return Config{}, err
	}
	for _, kv := range sets {
		if err := applySet(v, keys, kv); err != nil {
			return Config{}, err
		}
	}
	var c Config
	if err := v.UnmarshalExact(&c, decodeHook); err != nil {
		return Config{}, fmt.Errorf("config %s: %w", orDefault(path), err)
	}
	return c, nil
}

func orDefault(path string) string {
	if path == "" {
		return "(defaults)"
	}
	return path
}

func decodeHook(dc *mapstructure.DecoderConfig) {
	dc.ErrorUnused = true
	dc.WeaklyTypedInput = true
	dc.DecodeHook = mapstructure.ComposeDecodeHookFunc(
		mapstructure.StringToSliceHookFunc(","),
		strictBool,
	)
}

// strictBool refuses to read "yes", "maybe" or a number as a bool.
func strictBool(from, to reflect.Type, data any) (any, error) {
	if to.Kind() != reflect.Bool || from.Kind() == reflect.Bool {
		return data, nil
	}
	if s, ok := data.(string); ok && (s == "true" || s == "false") {
		return s == "true", nil
	}
	return nil, fmt.Errorf("want true or false, got %v", data)
}

// defaultKeys registers every leaf of def (a config or launcher file's
// defaults, as their JSON has them, and the empty leaves JSON omits) with
// v, so that environment variables and overrides can be checked against
// the known keys, and returns the keys with whether each holds a list.
func defaultKeys(v *viper.Viper, def any) map[string]bool {
	raw, _ := json.Marshal(def)
	var tree map[string]any
	_ = json.Unmarshal(raw, &tree)
	keys := map[string]bool{}
	var walk func(prefix string, m map[string]any)
	walk = func(prefix string, m map[string]any) {
		for k, val := range m {
			key := prefix + k
			if sub, ok := val.(map[string]any); ok {
				walk(key+".", sub)
				continue
			}
			_, isList := val.([]any)
			keys[key] = isList
			v.SetDefault(key, val)
		}
	}
	walk("", tree)
	omitted(v, keys, reflect.TypeOf(def), "")
	return keys
}

// omitted registers the omitempty leaves of t that are not in keys yet with
// their zero value: they are left out of a struct's JSON when empty.
func omitted(v *viper.Viper, keys map[string]bool, t reflect.Type, prefix string) {
	for i := range t.NumField() {
		f := t.Field(i)
		name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch {
		case f.Type.Kind() == reflect.Struct && f.Anonymous && name == "":
			omitted(v, keys, f.Type, prefix)
		case f.Type.Kind() == reflect.Struct:
			omitted(v, keys, f.Type, prefix+name+".")
		case opts == "omitempty":
			if _, ok := keys[prefix+name]; !ok {
				keys[prefix+name] = f.Type.Kind() == reflect.Slice
				v.SetDefault(prefix+name, reflect.Zero(f.Type).Interface())
			}
		}
	}
}

// checkKeys names the first unknown keys of a config file.
func checkKeys(got []string, known map[string]bool, path string) error {
	var unknown []string
	for _, k := range got {
		if _, ok := known[k]; !ok {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	sort.Strings(unknown)
	return fmt.Errorf("%s: %w: %s%s", path, ErrUnknownKey, strings.Join(unknown, ", "), suggest(unknown[0], known))
}

// ErrUnknownKey is wrapped by errors about keys segqa does not know.
var ErrUnknownKey = errors.New("config: unknown key")

func suggest(key string, known map[string]bool) string {
	leaf := key[strings.LastIndex(key, ".")+1:]
	var near []string
	for k := range known {
		if strings.HasSuffix(k, "."+leaf) || k == leaf {
			near = append(near, k)
		}
	}
	if len(near) == 0 {
		return ""
	}
	slices.Sort(near)
	return " (did you mean " + strings.Join(near, " or ") + "?)"
}

// notSettings are segqa's environment variables that are no settings:
// SEGQA_TF_LOG=1 shows every line TensorFlow logs (cmd/segqa/quiet).
var notSettings = []string{"SEGQA_TF_LOG"}

func applyEnv(v *viper.Viper, keys map[string]bool, environ []string) error {
	byEnv := map[string]string{}
	for k := range keys {
		byEnv[EnvPrefix+"_"+strings.ToUpper(strings.ReplaceAll(k, ".", "_"))] = k
	}
	sorted := slices.Clone(environ)
	slices.Sort(sorted)
	for _, kv := range sorted {
		name, val, _ := strings.Cut(kv, "=")
		if !strings.HasPrefix(name, EnvPrefix+"_") || slices.Contains(notSettings, name) {
			continue
		}
		key, ok := byEnv[name]
		if !ok {
			return fmt.Errorf("environment variable %s: %w", name, ErrUnknownKey)
		}
		v.Set(key, listValue(val, keys[key]))
	}
	return nil
}

func applySet(v *viper.Viper, keys map[string]bool, kv string) error {
	key, val, ok := strings.Cut(kv, "=")
	if !ok || key == "" {
		return fmt.Errorf("--set %q: want key=value", kv)
	}
	key = strings.ToLower(strings.TrimSpace(key))
	isList, known := keys[key]
	if !known {
		return fmt.Errorf("--set %s: %w%s", key, ErrUnknownKey, suggest(key, keys))
	}
	v.Set(key, listValue(val, isList))
	return nil
}

// listValue splits "a,b,c" for list keys; an empty string is an empty list.
func listValue(val string, isList bool) any {
	if !isList {
		return val
	}
	val = strings.Trim(strings.TrimSpace(val), "[]")
	if val == "" {
		return []string{}
	}
	parts := strings.Split(val, ",")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	return parts
}

// WriteYAML-free dump: JSON is what the run directory records.

// JSON returns the config as indented JSON, the form stored in run directories.
func (c Config) JSON() []byte {
	b, _ := json.MarshalIndent(c, "", "  ")
	return b
}

// Environ is os.Environ, named for callers that pass it to Load.
func Environ() []string { return os.Environ() }
