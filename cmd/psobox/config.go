package main

import (
	"github.com/psobox/psobox/appliance/config"
	"github.com/psobox/psobox/appliance/privdrop"
)

// readConfig reads the config file, except in the unprivileged child of a
// psobox started as root: that one starts on the configuration its parent
// handed over, which the parent already set the network up for (and the
// file may be readable by root only). A reload (SIGHUP) reads the file.
func readConfig(path string) (*config.Config, error) {
	data, ok, err := privdrop.Inherited(privdrop.DefaultHost())
	if err != nil {
		return nil, err
	}
	if ok {
		return config.Parse(data, "config from the parent process")
	}
	return config.Load(path)
}
