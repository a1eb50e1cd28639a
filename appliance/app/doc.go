// Package app turns the user's config into the running appliance: it builds
// each enabled service (DNS, DHCP, game server, status page) with options
// mapped from the config, gives each a logger tagged with its component, and
// runs them all under appliance/lifecycle.
//
// This package is the one place a new service or status section is wired;
// the services themselves know nothing about the config file.
package app
