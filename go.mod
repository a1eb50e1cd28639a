module github.com/psobox/psobox

go 1.25.0
