module first-k8s.local/wget

go 1.26
