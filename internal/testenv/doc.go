// Package testenv holds helpers that tests across psobox share: finding the
// read-only fixtures beside the checkout, and building throwaway network
// namespaces joined by veth pairs for integration tests with real peers.
//
// Nothing here is used outside tests.
package testenv
