module github.com/custom-labels-batch/tools/compose-check

go 1.24

require github.com/compose-spec/compose-go/v2 v2.16.2 // indirect
