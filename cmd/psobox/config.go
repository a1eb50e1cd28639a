package main

import (
	"github.com/psobox/psobox/appliance/config"
	"github.com/psobox/psobox/appliance/privdrop"
)

// loadConfig reads the config file, except in the unprivileged child of a
// psobox started as root: that one runs on the configuration its parent
// handed over, which the parent already set the network up for (and the
// file may be readable by root only).
func loadConfig(path string) (*config.Config, error) {
	data, ok, err := privdrop.Inherited(privdrop.DefaultHost())
	if err != nil {
		return nil, err
	}
	if ok {
		return config.Parse(data, "config from the parent process")
	}
	return config.Load(path)
}
