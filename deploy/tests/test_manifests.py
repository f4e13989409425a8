"""Structural checks of the production deploy material (Docker Compose, Kubernetes operator
manifests) against what the build produces. Docker and Kubernetes are not available on the
project's machines, so these files are never run here: this is what can be checked without them.
"""

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path, PurePosixPath

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
COMPOSE_FILE = DEPLOY / "docker" / "compose.yaml"
K8S = DEPLOY / "kubernetes"
JOB_JAR = "jobs/target/eventstream-jobs.jar"
MAIN_CLASSES = {
    "spam": "io.eventstream.jobs.cli.SpamJob",
    "reviewers": "io.eventstream.jobs.cli.ReviewersJob",
}
POM_NS = {"m": "http://maven.apache.org/POM/4.0.0"}


def pom_property(name):
    root = ET.parse(REPO / "pom.xml").getroot()
    return root.find(f"m:properties/m:{name}", POM_NS).text.strip()


def flag(args, name):
    """The value after a command-line flag."""
    return args[args.index(name) + 1]


def key_paths(mapping, prefix=()):
    """Every key of a nested mapping as a tuple path, e.g. ('online', 'redis_url')."""
    paths = set()
    for key, value in mapping.items():
        paths.add(prefix + (key,))
        if isinstance(value, dict):
            paths |= key_paths(value, prefix + (key,))
    return paths


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load(COMPOSE_FILE.read_text())


@pytest.fixture(scope="module")
def deployments():
    return {job: yaml.safe_load((K8S / f"{job}.yaml").read_text()) for job in MAIN_CLASSES}


@pytest.fixture(scope="module")
def configmaps():
    return {job: yaml.safe_load((K8S / f"{job}-config.yaml").read_text()) for job in MAIN_CLASSES}


def flink_image():
    return f"flink:{pom_property('flink.version')}-java17"


# ---------------------------------------------------------------- build facts the files rely on


def test_job_jar_path_is_what_the_shade_plugin_builds():
    pom = ET.parse(REPO / "jobs" / "pom.xml").getroot()
    final_name = pom.find(".//m:plugin[m:artifactId='maven-shade-plugin']//m:finalName", POM_NS).text
    assert f"jobs/target/{final_name}.jar" == JOB_JAR


@pytest.mark.parametrize("job", sorted(MAIN_CLASSES))
def test_main_class_exists_in_the_jobs_module(job):
    source = REPO / "jobs" / "src" / "main" / "java" / (MAIN_CLASSES[job].replace(".", "/") + ".java")
    assert re.search(r"public static void main\(String\[\] \w+\)", source.read_text())


def test_every_yaml_file_parses():
    files = sorted(DEPLOY.glob("docker/*.yaml")) + sorted(K8S.glob("*.yaml"))
    assert len(files) >= 6
    for path in files:
        documents = list(yaml.safe_load_all(path.read_text()))
        assert documents and all(isinstance(d, dict) for d in documents), path


# ---------------------------------------------------------------------------- Docker Compose


SUBMIT_SERVICES = [f"submit-{job}" for job in sorted(MAIN_CLASSES)]


def test_compose_has_every_service(compose):
    assert set(compose["services"]) == {
        "kafka", "create-topics", "redis", "minio", "create-bucket", "jobmanager", "taskmanager", *SUBMIT_SERVICES,
        "create-dead-letter-topic", "gateway",
        "prometheus",  # profile "monitoring": checked in test_monitoring.py
    }


def test_compose_images_match_the_build_versions(compose):
    services = compose["services"]
    for name in ("jobmanager", "taskmanager", *SUBMIT_SERVICES):
        assert services[name]["image"] == flink_image(), name
    assert re.fullmatch(r"minio/minio:RELEASE\.[0-9TZ-]+", services["minio"]["image"])
    assert re.fullmatch(r"minio/mc:RELEASE\.[0-9TZ-]+", services["create-bucket"]["image"])
    kafka_image = f"apache/kafka:{pom_property('kafka.version')}"
    assert services["kafka"]["image"] == kafka_image
    assert services["create-topics"]["image"] == kafka_image
    assert re.fullmatch(r"redis:7\.\d+", services["redis"]["image"])


def test_compose_kafka_is_kraft_with_one_replica_per_internal_topic(compose):
    env = compose["services"]["kafka"]["environment"]
    assert env["KAFKA_PROCESS_ROLES"] == "broker,controller"
    assert env["KAFKA_CONTROLLER_QUORUM_VOTERS"] == f"{env['KAFKA_NODE_ID']}@kafka:9093"
    for key in ("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR",
                "KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR"):
        assert env[key] == 1
    advertised = dict(item.split("://") for item in env["KAFKA_ADVERTISED_LISTENERS"].split(","))
    assert advertised["INTERNAL"] == "kafka:9092"
    # What the host publishes is what the broker advertises to host clients.
    assert compose["services"]["kafka"]["ports"] == ["127.0.0.1:9094:9094"]
    assert advertised["EXTERNAL"] == "127.0.0.1:9094"


def test_compose_publishes_ports_on_loopback_only(compose):
    for name, service in compose["services"].items():
        for port in service.get("ports", []):
            assert port.startswith("127.0.0.1:"), f"{name} publishes {port} beyond loopback"


def test_compose_flink_containers_share_jar_and_config_and_no_data_volume(compose):
    services = compose["services"]
    expected_jar_mount = f"../../{JOB_JAR}:/opt/flink/usrlib/eventstream-jobs.jar:ro"
    assert (COMPOSE_FILE.parent / f"../../{JOB_JAR}").resolve() == REPO / JOB_JAR
    for name in ("jobmanager", "taskmanager", *SUBMIT_SERVICES):
        volumes = services[name]["volumes"]
        assert expected_jar_mount in volumes, name
        assert "../config:/opt/eventstream/config:ro" in volumes, name
        assert len(volumes) == 2, f"{name}: datasets and state are on S3, no shared volume"
        assert f"flink-s3-fs-hadoop-{pom_property('flink.version')}.jar" in \
            services[name]["environment"]["ENABLE_BUILT_IN_PLUGINS"].split(";")
    assert (COMPOSE_FILE.parent / "../config").resolve() == DEPLOY / "config"
    assert services["taskmanager"]["deploy"]["replicas"] == 2
    assert set(compose["volumes"]) == {"kafka-data", "redis-data", "minio-data", "prometheus-data"}


def test_compose_flink_configuration_puts_state_on_s3(compose):
    properties = yaml.safe_load(compose["services"]["jobmanager"]["environment"]["FLINK_PROPERTIES"])
    assert properties["jobmanager.rpc.address"] == "jobmanager"
    assert properties["execution.checkpointing.dir"] == "s3://eventstream/checkpoints"
    assert properties["execution.checkpointing.savepoint-dir"] == "s3://eventstream/savepoints"
    assert properties["s3.endpoint"] == "http://minio:9000" and properties["s3.path.style.access"] is True
    assert not any(key.startswith("s3.") and ("key" in key or "secret" in key) for key in properties)
    assert properties["restart-strategy.type"] == "fixed-delay"
    # Every submitted job runs at once: their parallelisms fit the TaskManagers' slots.
    slots = properties["taskmanager.numberOfTaskSlots"] * compose["services"]["taskmanager"]["deploy"]["replicas"]
    assert slots >= sum(int(flag(compose["services"][name]["command"], "--parallelism")) for name in SUBMIT_SERVICES)
    create_bucket = " ".join(compose["services"]["create-bucket"]["entrypoint"])
    assert "mc mb --ignore-existing store/eventstream" in create_bucket


@pytest.mark.parametrize("job", sorted(MAIN_CLASSES))
def test_compose_submits_the_job_consistently(compose, job):
    services = compose["services"]
    submit = services[f"submit-{job}"]
    args = submit["command"]
    assert args[:2] == ["flink", "run"] and "--detached" in args
    assert flag(args, "--jobmanager") == "jobmanager:8081"
    assert flag(args, "--class") == MAIN_CLASSES[job]
    assert "/opt/flink/usrlib/eventstream-jobs.jar" in args
    config = PurePosixPath(flag(args, "--config"))
    assert config.parent == PurePosixPath("/opt/eventstream/config") and config.name == f"{job}.yaml"
    assert (DEPLOY / "config" / config.name).is_file(), "the mounted deploy/config has the job's config"
    assert flag(args, "--kafka") == "kafka:9092"
    topic_args = services["create-topics"]["command"]
    assert flag(args, "--topic") == flag(topic_args, "--topic")
    assert flag(args, "--out") == "s3://eventstream/datasets"
    assert flag(args, "--online") == "redis://redis:6379"
    assert submit["profiles"] == ["submit"], "a plain 'up' must not submit a second copy"
    assert submit["depends_on"]["create-topics"]["condition"] == "service_completed_successfully"


def test_compose_secrets_come_from_the_environment_only(compose):
    text = COMPOSE_FILE.read_text()
    referenced = set(re.findall(r"\$\{([A-Z_]+)", text))
    secrets = ("EVENTSTREAM_HASH_KEY", "EVENTSTREAM_REDIS_PASSWORD", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")
    assert set(secrets) <= referenced
    for name in ("jobmanager", "taskmanager", "redis", "create-bucket", *SUBMIT_SERVICES):
        env = compose["services"][name]["environment"]
        for secret in secrets:
            if secret in env:
                assert env[secret].startswith("${" + secret + ":?"), f"{name}: {secret} must be required, not literal"
    example = dict(
        line.split("=", 1) for line in (DEPLOY / "docker" / "env.example").read_text().splitlines()
        if line and not line.startswith("#")
    )
    assert referenced <= set(example), "env.example must list every variable compose.yaml uses"
    assert (DEPLOY / "docker" / ".gitignore").read_text().split() == [".env"]


# ---------------------------------------------------------------------------- Kubernetes


def test_image_dockerfile_builds_on_the_flink_image_with_the_job_jar():
    lines = [line for line in (K8S / "Dockerfile").read_text().splitlines() if line and not line.startswith("#")]
    assert lines[0] == f"FROM {flink_image()}"
    assert lines[1] == f"COPY --chown=flink:flink {JOB_JAR} /opt/flink/usrlib/eventstream-jobs.jar"


@pytest.mark.parametrize("job", sorted(MAIN_CLASSES))
def test_flink_deployment_runs_the_job_in_application_mode(deployments, job):
    deployment = deployments[job]
    assert deployment["apiVersion"] == "flink.apache.org/v1beta1"
    assert deployment["kind"] == "FlinkDeployment"
    assert deployment["metadata"]["name"] == f"eventstream-{job}"
    spec = deployment["spec"]
    assert spec["flinkVersion"] == "v" + "_".join(pom_property("flink.version").split(".")[:2])
    assert spec["serviceAccount"] == "flink"
    job_spec = spec["job"]
    # Application mode: the jar is inside the image built by deploy/kubernetes/Dockerfile.
    assert job_spec["jarURI"] == "local:///opt/flink/usrlib/eventstream-jobs.jar"
    assert job_spec["entryClass"] == MAIN_CLASSES[job]
    assert job_spec["upgradeMode"] == "savepoint"
    assert job_spec["state"] == "running"
    assert int(flag(job_spec["args"], "--parallelism")) == job_spec["parallelism"]


@pytest.mark.parametrize("job", sorted(MAIN_CLASSES))
def test_flink_deployment_state_and_datasets_are_on_s3(deployments, job):
    spec = deployments[job]["spec"]
    config = spec["flinkConfiguration"]
    container = spec["podTemplate"]["spec"]["containers"][0]
    assert container["name"] == "flink-main-container"
    assert config["execution.checkpointing.dir"] == f"s3://eventstream/checkpoints/{job}"
    assert config["execution.checkpointing.savepoint-dir"] == f"s3://eventstream/savepoints/{job}"
    assert config["high-availability.type"] == "kubernetes"
    assert config["high-availability.storageDir"] == f"s3://eventstream/ha/{job}"
    assert flag(spec["job"]["args"], "--out") == "s3://eventstream/datasets"
    assert config["s3.endpoint"].startswith("http") and config["s3.path.style.access"] == "true"
    assert not any(key.startswith("s3.") and ("key" in key or "secret" in key) for key in config), \
        "no S3 credentials in the Flink configuration"
    env = {e["name"]: e for e in container["env"]}
    assert env["ENABLE_BUILT_IN_PLUGINS"]["value"] == f"flink-s3-fs-hadoop-{pom_property('flink.version')}.jar"


@pytest.mark.parametrize("job", sorted(MAIN_CLASSES))
def test_flink_deployment_mounts_only_its_config(deployments, job):
    # No read-write-many volume: datasets and state live on S3, the pods share no disk.
    spec = deployments[job]["spec"]
    volumes = {v["name"]: v for v in spec["podTemplate"]["spec"]["volumes"]}
    assert set(volumes) == {"job-config"}
    assert volumes["job-config"]["configMap"]["name"] == f"eventstream-{job}-config"
    assert not (K8S / "storage.yaml").exists()


@pytest.mark.parametrize("job", sorted(MAIN_CLASSES))
def test_flink_deployment_config_file_is_the_mounted_configmap(deployments, job):
    spec = deployments[job]["spec"]
    container = spec["podTemplate"]["spec"]["containers"][0]
    mount = next(m for m in container["volumeMounts"] if m["name"] == "job-config")
    assert mount["readOnly"] is True
    config = PurePosixPath(flag(spec["job"]["args"], "--config"))
    assert str(config.parent) == mount["mountPath"] and config.name == f"{job}.yaml"


@pytest.mark.parametrize("job", sorted(MAIN_CLASSES))
def test_flink_deployment_secrets_come_from_a_secret(deployments, job):
    container = deployments[job]["spec"]["podTemplate"]["spec"]["containers"][0]
    env = {e["name"]: e for e in container["env"] if e["name"] != "ENABLE_BUILT_IN_PLUGINS"}
    assert set(env) == {"EVENTSTREAM_HASH_KEY", "EVENTSTREAM_REDIS_PASSWORD", "EVENTSTREAM_KAFKA_PASSWORD",
                        "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"}
    for name, entry in env.items():
        assert "value" not in entry, "no secret value in a manifest"
        secret = "eventstream-s3" if name.startswith("AWS_") else "eventstream-secrets"
        assert entry["valueFrom"]["secretKeyRef"]["name"] == secret
    # The README's kubectl commands create exactly the keys the manifests read.
    readme = (DEPLOY / "README.md").read_text()
    for entry in env.values():
        assert f"--from-literal={entry['valueFrom']['secretKeyRef']['key']}=" in readme


@pytest.mark.parametrize("job", sorted(MAIN_CLASSES))
def test_flink_deployment_resources_are_sized(deployments, job):
    spec = deployments[job]["spec"]
    for role in ("jobManager", "taskManager"):
        resource = spec[role]["resource"]
        assert re.fullmatch(r"\d+m", resource["memory"]) and resource["cpu"] > 0
    slots = int(spec["flinkConfiguration"]["taskmanager.numberOfTaskSlots"])
    assert spec["taskManager"]["resource"]["cpu"] >= slots / 2


@pytest.mark.parametrize("job", sorted(MAIN_CLASSES))
def test_configmap_matches_the_deployment_and_the_job_config(deployments, configmaps, job):
    spec = deployments[job]["spec"]
    configmap = configmaps[job]
    assert configmap["metadata"]["name"] == f"eventstream-{job}-config"
    config_name = PurePosixPath(flag(spec["job"]["args"], "--config")).name
    assert set(configmap["data"]) == {config_name}
    config = yaml.safe_load(configmap["data"][config_name])
    assert config["online"]["backend"] == "redis"
    assert config["online"]["redis_url"] == flag(spec["job"]["args"], "--online")
    assert config["dataset"]["root"] == flag(spec["job"]["args"], "--out")
    if "hashing" in config:
        assert config["hashing"]["key_env"] == "EVENTSTREAM_HASH_KEY"
        assert "key" not in config["hashing"], "the hash key itself never goes into a ConfigMap"
    assert "@" not in config["online"]["redis_url"], "no credentials in the Redis URL"
    unknown = key_paths(config) - key_paths(yaml.safe_load((DEPLOY / "config" / f"{job}.yaml").read_text()))
    assert not unknown, f"keys the job's documented config does not have: {sorted(unknown)}"


def test_kustomization_lists_existing_files_and_every_job():
    kustomization = yaml.safe_load((K8S / "kustomization.yaml").read_text())
    assert kustomization["namespace"] == "eventstream"
    for resource in kustomization["resources"]:
        assert (K8S / resource).is_file(), resource
    jobs = {file for job in MAIN_CLASSES for file in (f"{job}-config.yaml", f"{job}.yaml")}
    # Every job and the gateway; no storage volume (datasets and state are on S3).
    assert jobs | {"gateway-config.yaml", "gateway.yaml"} == set(kustomization["resources"])


# ---------------------------------------------------------------------------- gateway

GATEWAY_SECTIONS = {"listen", "tls", "kafka", "limits", "idempotency", "tokens", "shutdown", "sources"}
GATEWAY_MAIN = "io.eventstream.gateway.GatewayMain"


def gateway_jar():
    """The jar name the gateway module builds: <artifactId>-<version>.jar."""
    pom = ET.parse(REPO / "gateway" / "pom.xml").getroot()
    parent_version = pom.find("m:parent/m:version", POM_NS).text.strip()
    return f"{pom.find('m:artifactId', POM_NS).text.strip()}-{parent_version}.jar"


def check_gateway_config(config):
    """A gateway config in the shape GatewayConfig accepts: known sections, sources with name/instance/tokens."""
    assert set(config) <= GATEWAY_SECTIONS, set(config) - GATEWAY_SECTIONS
    assert config["kafka"]["topic"] == "gitlab-events"
    assert config["kafka"]["dead-letter-topic"] != config["kafka"]["topic"]
    names = [source["name"] for source in config["sources"]]
    assert len(names) == len(set(names)) and names
    for source in config["sources"]:
        assert set(source) == {"name", "instance", "tokens"}
        assert re.fullmatch(r"https?://[^/]+", source["instance"])
        assert source["tokens"] and all(re.fullmatch(r"(env|file):\S+", ref) for ref in source["tokens"])
    return config


def test_gateway_main_class_exists():
    path = REPO / "gateway" / "src" / "main" / "java" / (GATEWAY_MAIN.replace(".", "/") + ".java")
    assert path.is_file()
    assert "public static void main(String[] args)" in path.read_text()


def test_compose_gateway_runs_the_gateway_jars_with_its_config_and_env_tokens(compose):
    gateway = compose["services"]["gateway"]
    mounts = {mount.split(":")[1]: mount.split(":")[0] for mount in gateway["volumes"]}
    assert mounts["/opt/gateway/lib"] == "../../gateway/target/lib"
    assert mounts["/opt/gateway/eventstream-gateway.jar"] == f"../../gateway/target/{gateway_jar()}"
    assert mounts["/opt/eventstream/config"] == "../config"
    command = gateway["command"]
    assert GATEWAY_MAIN in command
    assert flag(command, "--kafka") == "kafka:9092"
    config_path = flag(command, "--config")
    assert config_path.startswith("/opt/eventstream/config/")
    config = check_gateway_config(yaml.safe_load((DEPLOY / "config" / PurePosixPath(config_path).name).read_text()))
    # Every env: token reference is set in the container, from the environment only.
    for source in config["sources"]:
        for ref in source["tokens"]:
            assert ref.startswith("env:"), "compose passes tokens as environment variables"
            name = ref[len("env:"):]
            assert gateway["environment"][name].startswith("${"), f"{name} must come from deploy/docker/.env"
    # Drains before Docker's SIGKILL.
    assert int(gateway["stop_grace_period"].rstrip("s")) > 20
    for topic_service in ("create-topics", "create-dead-letter-topic"):
        assert gateway["depends_on"][topic_service]["condition"] == "service_completed_successfully"
    assert config["kafka"]["dead-letter-topic"] in compose["services"]["create-dead-letter-topic"]["command"]


@pytest.fixture(scope="module")
def gateway_manifests():
    documents = list(yaml.safe_load_all((K8S / "gateway.yaml").read_text()))
    return {doc["kind"]: doc for doc in documents}


def test_gateway_dockerfile_copies_what_the_build_makes():
    text = (K8S / "gateway.Dockerfile").read_text()
    assert "COPY gateway/target/lib/ /opt/gateway/lib/" in text
    assert f"COPY gateway/target/{gateway_jar()} " in text
    assert GATEWAY_MAIN in text and "USER 10001" in text


def test_gateway_deployment_probes_config_and_token_secret(gateway_manifests):
    deployment = gateway_manifests["Deployment"]
    pod = deployment["spec"]["template"]
    assert deployment["spec"]["selector"]["matchLabels"].items() <= pod["metadata"]["labels"].items()
    container = pod["spec"]["containers"][0]
    port = {p["name"]: p["containerPort"] for p in container["ports"]}["http"]
    assert container["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": "http"}
    assert container["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": "http"}
    assert pod["metadata"]["annotations"]["prometheus.io/path"] == "/metrics"
    mounts = {m["name"]: m for m in container["volumeMounts"]}
    volumes = {v["name"]: v for v in pod["spec"]["volumes"]}
    assert set(mounts) <= set(volumes)
    # The config file the args name is the ConfigMap's key, mounted there.
    config_path = flag(container["args"], "--config")
    assert mounts["config"]["mountPath"] == config_path
    configmap = yaml.safe_load((K8S / "gateway-config.yaml").read_text())
    assert volumes["config"]["configMap"]["name"] == configmap["metadata"]["name"]
    config = check_gateway_config(yaml.safe_load(configmap["data"][mounts["config"]["subPath"]]))
    assert config["listen"]["port"] == port
    # Tokens are files of the Secret, mounted as a whole volume (subPath mounts never see a rotation).
    token_dir = mounts["tokens"]["mountPath"]
    assert "subPath" not in mounts["tokens"]
    assert volumes["tokens"]["secret"]["secretName"] == "eventstream-gateway-tokens"
    for source in config["sources"]:
        for ref in source["tokens"]:
            assert ref.startswith(f"file:{token_dir}/"), ref
    # Kubernetes waits longer than the gateway's drain before SIGKILL.
    drain = int(str(config["shutdown"]["drain-timeout"]).rstrip("s"))
    assert pod["spec"]["terminationGracePeriodSeconds"] > drain


def test_gateway_service_selects_the_pods(gateway_manifests):
    service = gateway_manifests["Service"]
    pod_labels = gateway_manifests["Deployment"]["spec"]["template"]["metadata"]["labels"]
    assert service["spec"]["selector"].items() <= pod_labels.items()
    assert [p["targetPort"] for p in service["spec"]["ports"]] == ["http"]
    kustomization = yaml.safe_load((K8S / "kustomization.yaml").read_text())
    assert {"gateway.yaml", "gateway-config.yaml"} <= set(kustomization["resources"])


# ---------------------------------------------------------------------------- local scripts


@pytest.mark.parametrize("script", ["kafka", "flink-cluster", "flink", "gateway", "s3"])
def test_local_script_has_help_and_strict_mode(script, tmp_path):
    path = DEPLOY / "local" / script
    assert "set -euo pipefail" in path.read_text()
    result = subprocess.run([str(path), "--help"], cwd=tmp_path, capture_output=True, text=True,
                            env={"PATH": "/usr/bin:/bin", "EVENTSTREAM_RUN_DIR": str(tmp_path)}, timeout=30)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"Usage: deploy/local/{script} ")


def test_local_pom_is_outside_the_reactor():
    pom = ET.parse(REPO / "pom.xml").getroot()
    modules = [m.text for m in pom.findall("m:modules/m:module", POM_NS)]
    assert "deploy/local" not in modules and "deploy" not in modules
    local = ET.parse(DEPLOY / "local" / "pom.xml").getroot()
    profiles = {p.find("m:id", POM_NS).text for p in local.findall("m:profiles/m:profile", POM_NS)}
    assert profiles == {"kafka", "flink", "metrics-prometheus", "s3", "s3-fs-hadoop"}


def test_local_scripts_pass_shellcheck():
    shellcheck = shutil.which("shellcheck")
    if shellcheck is None:
        pytest.skip("shellcheck is not installed (apt-get install shellcheck)")
    local = DEPLOY / "local"
    scripts = [local / name for name in ("kafka", "flink-cluster", "flink", "gateway", "lib.sh")] + [DEPLOY / "tests" / "run.sh"]
    result = subprocess.run([shellcheck, "-x", "-P", "SCRIPTDIR", *map(str, scripts)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


# Kafka client properties whose type is PASSWORD in Kafka's ConfigDef (the ones a config may hold as references only).
KAFKA_SECRET_PROPERTIES = re.compile(r"(^|\.)(sasl\.jaas\.config|.*password|sasl\.client\.callback\.handler\.class)$")
KAFKA_REFERENCE = re.compile(r"\$\{(env|file|dir):[^}]+\}")


def kafka_sections(text):
    """The kafka: sections of a job config, including commented-out examples (uncommented to check them)."""
    uncommented = "\n".join(re.sub(r"^(\s*)# ?", r"\1", line) if re.match(r"^\s*#\s*(kafka:|  )", line) else line
                             for line in text.splitlines())
    try:
        config = yaml.safe_load(uncommented) or {}
    except yaml.YAMLError:
        config = yaml.safe_load(text) or {}
    return [config["kafka"]] if isinstance(config.get("kafka"), dict) else []


def test_job_configs_hold_kafka_secrets_as_references_only(configmaps):
    texts = {p.name: p.read_text() for p in sorted((DEPLOY / "config").glob("*.yaml"))}
    for job, configmap in configmaps.items():
        for name, text in configmap["data"].items():
            texts[f"configmap {job}/{name}"] = text
    checked = 0
    for where, text in texts.items():
        for section in kafka_sections(text):
            for key, value in section.items():
                if KAFKA_SECRET_PROPERTIES.search(key):
                    assert KAFKA_REFERENCE.search(str(value)), f"{where}: kafka.{key} must be a ${{env:...}} reference"
                    checked += 1
                assert key not in ("bootstrap.servers", "group.id"), f"{where}: kafka.{key} is set by the job"
    assert checked >= 4, "the example kafka sections show how a password is referenced"
