// Package config holds segqa's typed configuration: one struct per stage,
// defaults that reproduce the paper where it is specific, a Viper loader
// used only at the command line (YAML file, then SEGQA_* environment
// variables, then --set overrides), and Validate, which explains every
// out-of-range value by its dotted key.
//
// Unknown keys and values of the wrong type are rejected with the key
// named; nothing below the command line reads Viper.
package config
