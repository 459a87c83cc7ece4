/**
 * Our own one-sentence descriptions of the most-used definitions and fields,
 * read by scripts/gen-schema.ts and written into src/api/schema/definitions.ts
 * so that `kubectl explain` has something to say.
 *
 * Every sentence here is written for k8ts, the way one would explain the field
 * to a colleague; upstream's doc comments are not copied or paraphrased. Keep
 * each one plain, accurate and at most 120 characters (the generator checks
 * the length and that every key names a generated definition or field).
 *
 * Keys use the short package form of the fact tables in gen-schema.ts:
 * `core.v1.PodSpec` for a definition, `core.v1.PodSpec.containers` for a
 * field. A field entry wins over the generic envelope descriptions
 * (apiVersion, kind, metadata, spec, status) the generator adds to kinds.
 */

/** Descriptions of definitions that are not top-level kinds (kinds are in gen-schema.ts). */
export const TYPE_DESCRIPTIONS: Record<string, string> = {
  // meta
  "meta.v1.ObjectMeta": "Identity and bookkeeping data that every stored object carries.",
  "meta.v1.ListMeta": "Version and paging information of a list response.",
  "meta.v1.OwnerReference":
    "Points at an object that owns this one, so that removing the owner can clean this one up.",
  "meta.v1.ManagedFieldsEntry": "The fields one manager has set through one kind of write.",
  "meta.v1.LabelSelector": "Picks objects by their labels; every condition given must hold.",
  "meta.v1.LabelSelectorRequirement":
    "One label condition: a key, an operator and maybe some values.",
  // pods
  "core.v1.PodSpec": "What a pod runs and where: its containers, volumes and scheduling rules.",
  "core.v1.PodStatus":
    "What the system last saw of a pod: its phase, addresses and container states.",
  "core.v1.PodTemplateSpec": "The labels and spec a controller stamps into every pod it creates.",
  "core.v1.PodCondition":
    "One aspect of a pod's progress, such as Ready, and whether it currently holds.",
  "core.v1.Container":
    "One container of a pod: its image, command, environment, ports and resources.",
  "core.v1.ContainerPort": "A network port a container listens on.",
  "core.v1.EnvVar": "One environment variable set in a container.",
  "core.v1.EnvVarSource":
    "Where an environment variable's value is read from, instead of being inline.",
  "core.v1.EnvFromSource": "A config map or secret whose keys all become environment variables.",
  "core.v1.ConfigMapEnvSource": "A config map whose keys all become environment variables.",
  "core.v1.SecretEnvSource": "A secret whose keys all become environment variables.",
  "core.v1.ConfigMapKeySelector": "Picks one key of a config map.",
  "core.v1.SecretKeySelector": "Picks one key of a secret.",
  "core.v1.ObjectFieldSelector":
    "Picks one field of the pod, such as metadata.name or status.podIP.",
  "core.v1.ResourceFieldSelector":
    "Picks a container's resource request or limit, such as limits.memory.",
  "core.v1.ResourceRequirements":
    "The compute resources a container asks for and the ceilings it may not go over.",
  "core.v1.VolumeMount": "Where a pod volume shows up inside a container's filesystem.",
  "core.v1.Volume":
    "A named volume of a pod; exactly one source field says where its data comes from.",
  "core.v1.EmptyDirVolumeSource":
    "A scratch directory that starts out empty and goes away with the pod.",
  "core.v1.HostPathVolumeSource":
    "A file or directory taken straight from the node's own filesystem.",
  "core.v1.ConfigMapVolumeSource": "Shows the keys of a config map as files.",
  "core.v1.SecretVolumeSource": "Shows the keys of a secret as files.",
  "core.v1.ProjectedVolumeSource":
    "Merges secrets, config maps, pod fields and tokens into a single directory.",
  "core.v1.VolumeProjection":
    "One of the sources a projected volume merges; set exactly one field.",
  "core.v1.DownwardAPIVolumeSource":
    "Shows fields of the pod itself, such as its labels, as files.",
  "core.v1.PersistentVolumeClaimVolumeSource":
    "Mounts the storage bound to a persistent volume claim in the pod's namespace.",
  "core.v1.KeyToPath": "Maps one key of a config map or secret to a file in the volume.",
  "core.v1.LocalObjectReference": "Names another object in the same namespace.",
  "core.v1.Probe": "A periodic check the kubelet runs against a container to judge its health.",
  "core.v1.ExecAction": "Runs a command inside the container; exit status 0 means success.",
  "core.v1.HTTPGetAction":
    "Sends an HTTP GET to the container; any 2xx or 3xx answer means success.",
  "core.v1.HTTPHeader": "One extra header sent with an HTTP check.",
  "core.v1.TCPSocketAction": "Opens a TCP connection to the container; connecting means success.",
  "core.v1.GRPCAction": "Asks the container's gRPC health service whether it is serving.",
  "core.v1.Lifecycle":
    "Hooks the kubelet runs just after a container starts and just before it stops.",
  "core.v1.LifecycleHandler": "One lifecycle hook action; set exactly one of its fields.",
  "core.v1.SleepAction": "Pauses for a number of seconds.",
  "core.v1.ContainerStatus": "What the kubelet last saw of one container in the pod.",
  "core.v1.ContainerState": "What a container is doing; exactly one of its fields is set.",
  "core.v1.ContainerStateWaiting":
    "The container is not running yet, or is waiting to be restarted.",
  "core.v1.ContainerStateRunning": "The container is running.",
  "core.v1.ContainerStateTerminated": "The container's process has exited.",
  "core.v1.SecurityContext":
    "Security settings of one container; they win over the pod-level ones.",
  "core.v1.PodSecurityContext": "Security settings shared by every container of the pod.",
  "core.v1.Affinity": "Rules that draw a pod toward, or keep it away from, certain nodes and pods.",
  "core.v1.Toleration":
    "Lets a pod be scheduled onto, or stay on, nodes carrying a matching taint.",
  "core.v1.Taint": "A mark on a node that keeps off every pod that does not tolerate it.",
  // services, config, nodes
  "core.v1.ServiceSpec": "How a service is reached and which pods its traffic goes to.",
  "core.v1.ServicePort": "One port a service exposes and the pod port its traffic is sent to.",
  "core.v1.NodeSpec":
    "Settings of a node: whether it takes new pods, its taints, its pod address range.",
  // workloads
  "apps.v1.DeploymentSpec":
    "The pods a deployment should run and how changes to them are rolled out.",
  "apps.v1.DeploymentStrategy": "How a deployment swaps old pods for new ones.",
  "apps.v1.RollingUpdateDeployment":
    "How far a rolling update may go above and below the wanted pod count.",
  "apps.v1.ReplicaSetSpec":
    "How many pods to keep, which pods count, and the template for new ones.",
  "apps.v1.StatefulSetSpec":
    "The pods of a stateful set with their stable names and storage, and how they are updated.",
  "apps.v1.StatefulSetUpdateStrategy":
    "How a stateful set replaces its pods when the template changes.",
  "apps.v1.RollingUpdateStatefulSetStrategy": "Tuning for a stateful set's rolling update.",
  "apps.v1.DaemonSetSpec": "The pod a daemon set runs on each chosen node and how it is updated.",
  "apps.v1.DaemonSetUpdateStrategy":
    "How a daemon set replaces its pods when the template changes.",
  "apps.v1.RollingUpdateDaemonSet": "Tuning for a daemon set's rolling update.",
  "batch.v1.JobSpec":
    "What a job runs, how many pods must succeed, and its limits on retries and time.",
  "batch.v1.JobTemplateSpec": "The labels and spec a cron job stamps into every job it creates.",
  "batch.v1.CronJobSpec": "When a cron job starts jobs, what they look like, and how many to keep.",
};

/** Descriptions of fields, keyed `<short package>.<Type>.<field>`. */
export const FIELD_DESCRIPTIONS: Record<string, string> = {
  // ObjectMeta
  "meta.v1.ObjectMeta.name":
    "The object's name, unique among objects of its kind in its namespace (or cluster, if unscoped).",
  "meta.v1.ObjectMeta.generateName":
    "A prefix the server completes with random characters to make a name, used when name is empty.",
  "meta.v1.ObjectMeta.namespace":
    "The namespace the object lives in; empty for cluster-scoped objects.",
  "meta.v1.ObjectMeta.labels":
    "Key-value tags for grouping objects and picking them out with selectors.",
  "meta.v1.ObjectMeta.annotations":
    "Free-form key-value notes for tools and people; selectors never look at them.",
  "meta.v1.ObjectMeta.uid":
    "An ID the server assigns at creation; a later object with the same name gets a different one.",
  "meta.v1.ObjectMeta.resourceVersion":
    "An opaque version that changes on every write; used for optimistic locking and watches.",
  "meta.v1.ObjectMeta.generation":
    "A counter the server bumps each time the desired state (usually spec) changes.",
  "meta.v1.ObjectMeta.creationTimestamp":
    "When the server first stored the object; set by the system.",
  "meta.v1.ObjectMeta.deletionTimestamp":
    "Set once deletion is requested; the object is removed when its finalizers are all cleared.",
  "meta.v1.ObjectMeta.deletionGracePeriodSeconds":
    "The seconds the object was given to shut down once its deletion began.",
  "meta.v1.ObjectMeta.ownerReferences":
    "The objects this one belongs to; once all of them are gone, the garbage collector removes it.",
  "meta.v1.ObjectMeta.finalizers":
    "Keys that must all be removed before a deleted object is really dropped from storage.",
  "meta.v1.ObjectMeta.managedFields":
    "Which manager set which fields, as tracked by server-side apply.",
  "meta.v1.ObjectMeta.selfLink": "Legacy URL of the object; no longer filled in.",
  "meta.v1.OwnerReference.apiVersion": "API version of the owner.",
  "meta.v1.OwnerReference.kind": "Kind of the owner.",
  "meta.v1.OwnerReference.name": "Name of the owner.",
  "meta.v1.OwnerReference.uid":
    "UID of the owner, so that a new object reusing its name is not mistaken for it.",
  "meta.v1.OwnerReference.controller":
    "True if this owner is the controller in charge; at most one owner may be.",
  "meta.v1.OwnerReference.blockOwnerDeletion":
    "If true, deleting the owner in the foreground waits until this object is gone.",
  "meta.v1.ManagedFieldsEntry.manager": "Name of the client that set these fields.",
  "meta.v1.ManagedFieldsEntry.operation": "Apply or Update: the kind of write that set the fields.",
  "meta.v1.ManagedFieldsEntry.apiVersion": "The API version the field set is written in.",
  "meta.v1.ManagedFieldsEntry.time": "When this manager last changed these fields.",
  "meta.v1.ManagedFieldsEntry.fieldsType": "The format of fieldsV1; always FieldsV1.",
  "meta.v1.ManagedFieldsEntry.fieldsV1": "The set of fields this manager owns.",
  "meta.v1.ManagedFieldsEntry.subresource":
    "The subresource the write went through, such as status; empty for the object itself.",
  "meta.v1.ListMeta.resourceVersion":
    "The store version this list reflects; start a watch from it to see later changes.",
  "meta.v1.ListMeta.continue":
    "An opaque token that fetches the next page; empty on the last page.",
  "meta.v1.ListMeta.remainingItemCount":
    "Roughly how many items remain after this page, when known.",
  "meta.v1.ListMeta.selfLink": "Legacy URL of the list; no longer filled in.",
  "meta.v1.Status.status": "Success or Failure.",
  "meta.v1.LabelSelector.matchLabels": "Labels an object must carry with exactly these values.",
  "meta.v1.LabelSelector.matchExpressions": "Further label conditions; all of them must hold.",
  "meta.v1.LabelSelectorRequirement.key": "The label key the condition is about.",
  "meta.v1.LabelSelectorRequirement.operator": "In, NotIn, Exists or DoesNotExist.",
  "meta.v1.LabelSelectorRequirement.values":
    "The values In and NotIn compare against; must be empty for Exists and DoesNotExist.",

  // PodTemplateSpec, JobTemplateSpec
  "core.v1.PodTemplateSpec.metadata": "Labels and annotations given to each created pod.",
  "core.v1.PodTemplateSpec.spec": "The spec given to each created pod.",
  "batch.v1.JobTemplateSpec.metadata": "Labels and annotations given to each created job.",
  "batch.v1.JobTemplateSpec.spec": "The spec given to each created job.",

  // PodSpec
  "core.v1.PodSpec.containers": "The main containers of the pod; there must be at least one.",
  "core.v1.PodSpec.initContainers":
    "Containers run in order before the main ones; each must finish unless it is a restartable sidecar.",
  "core.v1.PodSpec.ephemeralContainers":
    "Temporary containers added to a running pod, usually for debugging.",
  "core.v1.PodSpec.volumes": "Volumes the pod's containers can mount by name.",
  "core.v1.PodSpec.restartPolicy":
    "Always, OnFailure or Never: when the kubelet restarts containers that exit.",
  "core.v1.PodSpec.nodeName":
    "The node the pod runs on; normally filled in by the scheduler, and setting it skips scheduling.",
  "core.v1.PodSpec.nodeSelector": "Labels a node must carry for the pod to be placed on it.",
  "core.v1.PodSpec.serviceAccountName":
    "The service account whose identity the pod's processes use.",
  "core.v1.PodSpec.serviceAccount": "Old, deprecated spelling of serviceAccountName.",
  "core.v1.PodSpec.automountServiceAccountToken":
    "Whether an API token for the service account is mounted into the containers.",
  "core.v1.PodSpec.hostNetwork":
    "Use the node's network namespace, so the pod sees the node's IPs and ports.",
  "core.v1.PodSpec.hostPID":
    "Use the node's process ID namespace, so containers can see host processes.",
  "core.v1.PodSpec.hostIPC":
    "Use the node's IPC namespace (shared memory, semaphores, message queues).",
  "core.v1.PodSpec.hostUsers":
    "False gives the pod its own user namespace; true or unset uses the node's.",
  "core.v1.PodSpec.shareProcessNamespace":
    "Put all containers of the pod in one process namespace so they see each other's processes.",
  "core.v1.PodSpec.affinity":
    "Node and pod affinity and anti-affinity rules the scheduler follows.",
  "core.v1.PodSpec.tolerations": "The node taints this pod tolerates.",
  "core.v1.PodSpec.terminationGracePeriodSeconds":
    "Seconds between asking the containers to stop (SIGTERM) and killing them (SIGKILL).",
  "core.v1.PodSpec.activeDeadlineSeconds":
    "Seconds the pod may be active before the kubelet marks it failed.",
  "core.v1.PodSpec.dnsPolicy":
    "How the pod's resolver is set up: ClusterFirst, ClusterFirstWithHostNet, Default or None.",
  "core.v1.PodSpec.dnsConfig":
    "Extra nameservers, search domains and resolver options for the pod.",
  "core.v1.PodSpec.priorityClassName":
    "The priority class that sets how important this pod is to the scheduler.",
  "core.v1.PodSpec.priority": "The pod's numeric priority, filled in from its priority class.",
  "core.v1.PodSpec.preemptionPolicy":
    "PreemptLowerPriority lets the pod evict less important pods to fit; Never does not.",
  "core.v1.PodSpec.securityContext": "Security settings shared by all containers of the pod.",
  "core.v1.PodSpec.imagePullSecrets":
    "Secrets with registry credentials used to pull the pod's images.",
  "core.v1.PodSpec.hostname": "The hostname the containers see; the pod's name when empty.",
  "core.v1.PodSpec.subdomain":
    "With a headless service of this name, gives the pod the DNS name hostname.subdomain.namespace.svc.",
  "core.v1.PodSpec.setHostnameAsFQDN": "Make the pod's hostname its fully qualified domain name.",
  "core.v1.PodSpec.schedulerName":
    "The scheduler that places this pod; the default scheduler when empty.",
  "core.v1.PodSpec.runtimeClassName":
    "The runtime class choosing which container runtime handler runs the pod.",
  "core.v1.PodSpec.topologySpreadConstraints":
    "How evenly matching pods should be spread over zones, nodes or other topology domains.",
  "core.v1.PodSpec.enableServiceLinks":
    "Whether to inject environment variables describing the namespace's services.",
  "core.v1.PodSpec.hostAliases": "Extra lines to add to the pod's /etc/hosts.",
  "core.v1.PodSpec.overhead": "Resources the pod sandbox itself uses on top of the containers.",
  "core.v1.PodSpec.readinessGates":
    "Extra pod conditions that must be true before the pod counts as ready.",
  "core.v1.PodSpec.schedulingGates":
    "While any gate is listed, the scheduler leaves the pod alone.",
  "core.v1.PodSpec.os": "The operating system the pod's containers need.",
  "core.v1.PodSpec.resources": "Resources for the pod as a whole, which its containers share.",
  "core.v1.PodSpec.resourceClaims": "Dynamically allocated resources the pod's containers may use.",

  // Container
  "core.v1.Container.name": "The container's name, unique within the pod.",
  "core.v1.Container.image": "The image to run, such as nginx:1.27 or a full registry path.",
  "core.v1.Container.command":
    "Replaces the image's entrypoint; $(VAR) references to environment variables are expanded.",
  "core.v1.Container.args":
    "Arguments for the entrypoint, replacing the image's default arguments (CMD).",
  "core.v1.Container.workingDir":
    "The directory the process starts in; the image's own when empty.",
  "core.v1.Container.ports":
    "Ports the container listens on; informational, but their names can be referenced.",
  "core.v1.Container.env": "Environment variables to set in the container.",
  "core.v1.Container.envFrom":
    "Config maps or secrets whose keys all become environment variables.",
  "core.v1.Container.resources":
    "The CPU, memory and other resources the container asks for and is capped at.",
  "core.v1.Container.resizePolicy":
    "Per resource, whether changing it in place needs a container restart.",
  "core.v1.Container.volumeMounts": "Pod volumes to mount into the container's filesystem.",
  "core.v1.Container.volumeDevices": "Raw block volumes to hand to the container as devices.",
  // core.v1.Container.livenessProbe: held back, see the note at the end of this table.
  "core.v1.Container.readinessProbe":
    "Checks whether the container can take traffic; while it fails, the pod is left out of endpoints.",
  "core.v1.Container.startupProbe":
    "Checks whether the container has finished starting; the other probes wait until it passes.",
  "core.v1.Container.lifecycle":
    "Hooks the kubelet runs after the container starts and before it stops.",
  "core.v1.Container.imagePullPolicy":
    "Always, IfNotPresent or Never: when the kubelet pulls the image.",
  "core.v1.Container.securityContext":
    "Security settings for this container, winning over the pod-level ones.",
  "core.v1.Container.restartPolicy":
    "Only for init containers: Always turns it into a sidecar that keeps running beside the main ones.",
  "core.v1.Container.stdin":
    "Keep a stdin stream open for the container, so clients can attach to it.",
  "core.v1.Container.stdinOnce": "Close stdin once the first attached client disconnects.",
  "core.v1.Container.tty": "Give the container a terminal; usually set together with stdin.",
  "core.v1.Container.terminationMessagePath":
    "A file the container may write a last message to; it is shown in the container's status.",
  "core.v1.Container.terminationMessagePolicy":
    "File reads only that file; FallbackToLogsOnError uses the log tail if the file is empty on error.",

  // ContainerPort, env
  "core.v1.ContainerPort.containerPort": "The port number the container listens on.",
  "core.v1.ContainerPort.name":
    "A name for the port, unique in the pod, that services can refer to.",
  "core.v1.ContainerPort.protocol": "TCP, UDP or SCTP; TCP by default.",
  "core.v1.ContainerPort.hostPort": "A port on the node that is forwarded to this container port.",
  "core.v1.ContainerPort.hostIP": "The node address the host port is bound to.",
  "core.v1.EnvVar.name": "The variable's name.",
  "core.v1.EnvVar.value": "The literal value; $(VAR) references to earlier variables are expanded.",
  "core.v1.EnvVar.valueFrom":
    "Reads the value from a config map, secret, pod field or resource instead.",
  "core.v1.EnvVarSource.configMapKeyRef": "Take the value from one key of a config map.",
  "core.v1.EnvVarSource.secretKeyRef": "Take the value from one key of a secret.",
  "core.v1.EnvVarSource.fieldRef":
    "Take the value from a pod field, such as metadata.name or status.podIP.",
  "core.v1.EnvVarSource.resourceFieldRef":
    "Take the value from the container's resource requests or limits.",
  "core.v1.EnvFromSource.configMapRef": "The config map to take variables from.",
  "core.v1.EnvFromSource.secretRef": "The secret to take variables from.",
  "core.v1.EnvFromSource.prefix": "Text put in front of every variable name taken from the source.",
  "core.v1.ConfigMapEnvSource.name": "Name of the config map.",
  "core.v1.ConfigMapEnvSource.optional": "If true, a missing config map is not an error.",
  "core.v1.SecretEnvSource.name": "Name of the secret.",
  "core.v1.SecretEnvSource.optional": "If true, a missing secret is not an error.",
  "core.v1.ConfigMapKeySelector.name": "Name of the config map.",
  "core.v1.ConfigMapKeySelector.key": "The key to read.",
  "core.v1.ConfigMapKeySelector.optional": "If true, a missing config map or key is not an error.",
  "core.v1.SecretKeySelector.name": "Name of the secret.",
  "core.v1.SecretKeySelector.key": "The key to read.",
  "core.v1.SecretKeySelector.optional": "If true, a missing secret or key is not an error.",
  "core.v1.ObjectFieldSelector.fieldPath":
    "Path of the field to read, such as metadata.labels['app'].",
  "core.v1.ObjectFieldSelector.apiVersion":
    "The API version the field path is written against; v1 by default.",
  "core.v1.ResourceFieldSelector.resource":
    "The resource to read, such as requests.cpu or limits.memory.",
  "core.v1.ResourceFieldSelector.containerName":
    "The container whose resources are read; required in volumes, optional in env.",
  "core.v1.ResourceFieldSelector.divisor":
    "The unit to express the value in, such as 1m or 1Mi; 1 by default.",
  "core.v1.ResourceRequirements.requests":
    "The amounts the scheduler sets aside for the container on its node.",
  "core.v1.ResourceRequirements.limits":
    "The most the container may use; CPU above it is throttled, memory above it gets the process killed.",
  "core.v1.ResourceRequirements.claims": "Names of the pod's resource claims this container uses.",
  "core.v1.LocalObjectReference.name": "Name of the object.",

  // Volumes
  "core.v1.VolumeMount.name": "The pod volume to mount.",
  "core.v1.VolumeMount.mountPath": "Where in the container the volume appears.",
  "core.v1.VolumeMount.readOnly": "Mount the volume read-only.",
  "core.v1.VolumeMount.subPath": "Mount only this path inside the volume instead of its root.",
  "core.v1.VolumeMount.subPathExpr":
    "Like subPath, but with $(VAR) environment variable references expanded.",
  "core.v1.VolumeMount.mountPropagation":
    "Whether mounts are shared between host and container: None, HostToContainer or Bidirectional.",
  "core.v1.VolumeMount.recursiveReadOnly":
    "Whether read-only also covers mounts below the mount point: Disabled, IfPossible or Enabled.",
  "core.v1.Volume.name": "The volume's name, which container volume mounts refer to.",
  "core.v1.Volume.emptyDir": "A scratch directory that lives as long as the pod.",
  "core.v1.Volume.hostPath": "A path on the node's own filesystem.",
  "core.v1.Volume.configMap": "The keys of a config map, as files.",
  "core.v1.Volume.secret": "The keys of a secret, as files.",
  "core.v1.Volume.projected": "Several sources merged into one directory.",
  "core.v1.Volume.downwardAPI": "Fields of the pod itself, as files.",
  "core.v1.Volume.persistentVolumeClaim": "The storage bound to a persistent volume claim.",
  "core.v1.Volume.ephemeral":
    "A volume provisioned from a claim template for this pod and removed with it.",
  "core.v1.Volume.csi": "A volume supplied by a CSI driver, living as long as the pod.",
  "core.v1.Volume.nfs": "An export of an NFS server.",
  "core.v1.Volume.image": "The read-only contents of an OCI image or artifact.",
  "core.v1.EmptyDirVolumeSource.medium":
    "Empty for the node's disk, or Memory for a RAM-backed tmpfs.",
  "core.v1.EmptyDirVolumeSource.sizeLimit":
    "The most space the directory may take before the pod is evicted.",
  "core.v1.HostPathVolumeSource.path": "The path on the node.",
  "core.v1.HostPathVolumeSource.type":
    "What must be at the path, such as Directory, File or DirectoryOrCreate; not checked when empty.",
  "core.v1.ConfigMapVolumeSource.name": "Name of the config map.",
  "core.v1.ConfigMapVolumeSource.items":
    "Which keys to show and under which file names; every key when empty.",
  "core.v1.ConfigMapVolumeSource.defaultMode":
    "Permission bits of the created files, such as 0644.",
  "core.v1.ConfigMapVolumeSource.optional": "If true, a missing config map or key is not an error.",
  "core.v1.SecretVolumeSource.secretName": "Name of the secret.",
  "core.v1.SecretVolumeSource.items":
    "Which keys to show and under which file names; every key when empty.",
  "core.v1.SecretVolumeSource.defaultMode": "Permission bits of the created files, such as 0644.",
  "core.v1.SecretVolumeSource.optional": "If true, a missing secret or key is not an error.",
  "core.v1.KeyToPath.key": "The key to read.",
  "core.v1.KeyToPath.path": "The relative file path to write the value to.",
  "core.v1.KeyToPath.mode": "Permission bits of this one file, overriding defaultMode.",
  "core.v1.ProjectedVolumeSource.sources": "The sources to merge.",
  "core.v1.ProjectedVolumeSource.defaultMode":
    "Permission bits of the created files, such as 0644.",
  "core.v1.VolumeProjection.secret": "Keys of a secret.",
  "core.v1.VolumeProjection.configMap": "Keys of a config map.",
  "core.v1.VolumeProjection.downwardAPI": "Fields of the pod itself.",
  "core.v1.VolumeProjection.serviceAccountToken":
    "A short-lived token of the pod's service account, kept fresh by the kubelet.",
  "core.v1.VolumeProjection.clusterTrustBundle": "Certificates from cluster trust bundles.",
  "core.v1.DownwardAPIVolumeSource.items": "The files to create and the pod field each one holds.",
  "core.v1.DownwardAPIVolumeSource.defaultMode":
    "Permission bits of the created files, such as 0644.",
  "core.v1.PersistentVolumeClaimVolumeSource.claimName":
    "Name of the claim, in the pod's namespace.",
  "core.v1.PersistentVolumeClaimVolumeSource.readOnly": "Mount the volume read-only.",

  // Probes and lifecycle hooks
  "core.v1.Probe.exec": "Run a command in the container.",
  "core.v1.Probe.httpGet": "Send an HTTP GET request.",
  "core.v1.Probe.tcpSocket": "Open a TCP connection.",
  "core.v1.Probe.grpc": "Call the gRPC health service.",
  "core.v1.Probe.initialDelaySeconds":
    "Seconds to wait after the container starts before the first check.",
  "core.v1.Probe.periodSeconds": "Seconds between checks; 10 by default.",
  "core.v1.Probe.timeoutSeconds":
    "Seconds a check may take before it counts as failed; 1 by default.",
  "core.v1.Probe.successThreshold":
    "Passing checks in a row needed to count as healthy again after failing; 1 by default.",
  "core.v1.Probe.failureThreshold":
    "Failed checks in a row needed to count as unhealthy; 3 by default.",
  "core.v1.Probe.terminationGracePeriodSeconds":
    "Grace period for a kill caused by this probe failing, instead of the pod's own.",
  "core.v1.ExecAction.command":
    "The command and its arguments, run directly rather than through a shell.",
  "core.v1.HTTPGetAction.path": "The URL path to request.",
  "core.v1.HTTPGetAction.port": "The port to connect to, as a number or a named container port.",
  "core.v1.HTTPGetAction.host": "The host to connect to; the pod's IP by default.",
  "core.v1.HTTPGetAction.scheme": "HTTP or HTTPS; HTTP by default.",
  "core.v1.HTTPGetAction.httpHeaders": "Extra headers to send.",
  "core.v1.HTTPHeader.name": "The header's name.",
  "core.v1.HTTPHeader.value": "The header's value.",
  "core.v1.TCPSocketAction.port": "The port to connect to, as a number or a named container port.",
  "core.v1.TCPSocketAction.host": "The host to connect to; the pod's IP by default.",
  "core.v1.GRPCAction.port": "The port the gRPC server listens on.",
  "core.v1.GRPCAction.service":
    "The service name to ask about; empty asks about the server as a whole.",
  "core.v1.Lifecycle.postStart":
    "Runs right after the container is created; if it fails, the container is killed.",
  "core.v1.Lifecycle.preStop":
    "Runs before the container is stopped, counting against the grace period.",
  "core.v1.LifecycleHandler.exec": "Run a command in the container.",
  "core.v1.LifecycleHandler.httpGet": "Send an HTTP GET request.",
  "core.v1.LifecycleHandler.tcpSocket": "Kept for compatibility; hooks do not act on it.",
  "core.v1.LifecycleHandler.sleep": "Pause for a number of seconds.",
  "core.v1.SleepAction.seconds": "How many seconds to pause.",

  // PodStatus, ContainerStatus
  "core.v1.PodStatus.phase":
    "Pending, Running, Succeeded, Failed or Unknown: a coarse summary of the pod's life.",
  "core.v1.PodStatus.conditions":
    "Conditions such as PodScheduled, Initialized, ContainersReady and Ready.",
  "core.v1.PodStatus.podIP": "The IP address given to the pod.",
  "core.v1.PodStatus.podIPs": "All addresses of the pod, at most one per IP family.",
  "core.v1.PodStatus.hostIP": "The IP address of the node the pod runs on.",
  "core.v1.PodStatus.hostIPs": "All addresses of the pod's node, at most one per IP family.",
  "core.v1.PodStatus.containerStatuses": "The observed state of each main container.",
  "core.v1.PodStatus.initContainerStatuses": "The observed state of each init container.",
  "core.v1.PodStatus.ephemeralContainerStatuses": "The observed state of each ephemeral container.",
  "core.v1.PodStatus.qosClass":
    "Guaranteed, Burstable or BestEffort, worked out from the containers' requests and limits.",
  "core.v1.PodStatus.startTime": "When the kubelet took on the pod, before any image was pulled.",
  "core.v1.PodStatus.message": "A human-readable note on why the pod is in its current state.",
  "core.v1.PodStatus.reason": "A short CamelCase reason for the pod's state, such as Evicted.",
  "core.v1.PodStatus.nominatedNodeName":
    "The node where room is being made by preempting other pods; the pod may land there.",
  "core.v1.PodCondition.type": "Which condition this is, such as Ready.",
  "core.v1.PodCondition.status": "True, False or Unknown.",
  "core.v1.PodCondition.reason": "A short CamelCase reason for the last change.",
  "core.v1.PodCondition.message": "A human-readable note about the last change.",
  "core.v1.PodCondition.lastProbeTime": "When the condition was last checked.",
  "core.v1.PodCondition.lastTransitionTime": "When the status last changed.",
  "core.v1.ContainerStatus.name": "The container's name.",
  "core.v1.ContainerStatus.ready": "Whether the container currently passes its readiness check.",
  "core.v1.ContainerStatus.started":
    "Whether the container has got past its startup probe (or started, if none).",
  "core.v1.ContainerStatus.restartCount": "How many times the container has been restarted.",
  "core.v1.ContainerStatus.image": "The image the container runs.",
  "core.v1.ContainerStatus.imageID": "The exact image the runtime resolved, usually by digest.",
  "core.v1.ContainerStatus.containerID":
    "The runtime's ID of the container, written as <runtime>://<id>.",
  "core.v1.ContainerStatus.state": "What the container is doing now.",
  "core.v1.ContainerStatus.lastState":
    "How the previous run of the container ended, if it was restarted.",
  "core.v1.ContainerStatus.resources": "The resources currently applied to the running container.",
  "core.v1.ContainerStatus.allocatedResources":
    "The resources the node has set aside for the container.",
  "core.v1.ContainerState.waiting": "Set while the container is not running yet.",
  "core.v1.ContainerState.running": "Set while the container runs.",
  "core.v1.ContainerState.terminated": "Set once the container has exited.",
  "core.v1.ContainerStateWaiting.reason":
    "Why it waits, such as ContainerCreating or CrashLoopBackOff.",
  "core.v1.ContainerStateWaiting.message": "A human-readable note on why it waits.",
  "core.v1.ContainerStateRunning.startedAt": "When the container last started.",
  "core.v1.ContainerStateTerminated.exitCode": "The exit status of the process.",
  "core.v1.ContainerStateTerminated.signal": "The signal that ended the process, if one did.",
  "core.v1.ContainerStateTerminated.reason":
    "A short reason, such as Completed, Error or OOMKilled.",
  "core.v1.ContainerStateTerminated.message": "A human-readable note on how it ended.",
  "core.v1.ContainerStateTerminated.startedAt": "When this run of the container started.",
  "core.v1.ContainerStateTerminated.finishedAt": "When this run of the container ended.",
  "core.v1.ContainerStateTerminated.containerID": "The runtime's ID of the container that ended.",

  // Security
  "core.v1.SecurityContext.runAsUser": "The user ID the process runs as.",
  "core.v1.SecurityContext.runAsGroup": "The primary group ID the process runs with.",
  "core.v1.SecurityContext.runAsNonRoot":
    "Refuse to start the container if it would run as root (UID 0).",
  "core.v1.SecurityContext.privileged":
    "Run with nearly all of the node's powers, much like root on the host.",
  "core.v1.SecurityContext.allowPrivilegeEscalation":
    "Whether a process may gain more privileges than its parent, for example through setuid.",
  "core.v1.SecurityContext.readOnlyRootFilesystem":
    "Mount the container's root filesystem read-only.",
  "core.v1.SecurityContext.capabilities": "Linux capabilities to add or drop.",
  "core.v1.SecurityContext.seccompProfile":
    "The seccomp filter limiting which system calls the process may make.",
  "core.v1.PodSecurityContext.runAsUser": "Default user ID for the containers' processes.",
  "core.v1.PodSecurityContext.runAsGroup":
    "Default primary group ID for the containers' processes.",
  "core.v1.PodSecurityContext.runAsNonRoot":
    "Refuse to start any container that would run as root (UID 0).",
  "core.v1.PodSecurityContext.fsGroup":
    "A group that owns the pod's volumes and is added to every container process.",
  "core.v1.PodSecurityContext.supplementalGroups":
    "Extra group IDs added to every container process.",
  "core.v1.PodSecurityContext.sysctls": "Namespaced kernel parameters to set for the pod.",
  "core.v1.PodSecurityContext.seccompProfile":
    "The default seccomp filter for the pod's containers.",
  "core.v1.Affinity.nodeAffinity": "Which nodes the pod must or would rather run on.",
  "core.v1.Affinity.podAffinity": "Pods this pod must or would rather run near.",
  "core.v1.Affinity.podAntiAffinity": "Pods this pod must or would rather stay away from.",

  // Taints and tolerations
  "core.v1.Taint.key": "The taint's key.",
  "core.v1.Taint.value": "The taint's value.",
  "core.v1.Taint.effect":
    "NoSchedule, PreferNoSchedule, or NoExecute, which also evicts running pods.",
  "core.v1.Taint.timeAdded": "When a NoExecute taint was added.",
  "core.v1.Toleration.key":
    "The taint key to match; empty together with Exists matches every taint.",
  "core.v1.Toleration.operator":
    "Equal (the default) compares the value; Exists matches any value.",
  "core.v1.Toleration.value": "The taint value to match when the operator is Equal.",
  "core.v1.Toleration.effect": "The taint effect to match; empty matches every effect.",
  "core.v1.Toleration.tolerationSeconds":
    "For NoExecute taints, how long the pod may stay on the node once the taint appears.",

  // Nodes
  "core.v1.NodeSpec.unschedulable": "If true (cordoned), no new pods are placed on the node.",
  "core.v1.NodeSpec.taints": "Taints that keep pods without a matching toleration off the node.",
  "core.v1.NodeSpec.podCIDR": "The IP range this node's pod addresses come from.",
  "core.v1.NodeSpec.podCIDRs": "The node's pod IP ranges, at most one per IP family.",
  "core.v1.NodeSpec.providerID": "The cloud provider's ID of the machine.",
  "core.v1.NodeSpec.externalID": "Deprecated; unused.",
  "core.v1.NodeSpec.configSource": "Deprecated; ignored.",

  // Services
  "core.v1.ServiceSpec.type":
    "ClusterIP (the default), NodePort, LoadBalancer or ExternalName: how the service is reached.",
  "core.v1.ServiceSpec.selector":
    "Pods with these labels get the traffic; without a selector, endpoints are managed by hand.",
  "core.v1.ServiceSpec.ports": "The ports the service exposes.",
  "core.v1.ServiceSpec.clusterIP":
    "The service's virtual IP; None makes it headless, and empty lets the server pick one.",
  "core.v1.ServiceSpec.clusterIPs": "The service's virtual IPs, at most one per IP family.",
  "core.v1.ServiceSpec.externalTrafficPolicy":
    "Cluster spreads outside traffic over all pods; Local only uses pods on the receiving node.",
  "core.v1.ServiceSpec.internalTrafficPolicy":
    "Cluster spreads in-cluster traffic over all pods; Local only uses pods on the sender's node.",
  "core.v1.ServiceSpec.sessionAffinity":
    "ClientIP keeps sending each client to the same pod; None (the default) does not.",
  "core.v1.ServiceSpec.sessionAffinityConfig":
    "Settings of session affinity, such as how long it lasts.",
  "core.v1.ServiceSpec.externalName":
    "For ExternalName services, the DNS name the service is an alias for.",
  "core.v1.ServiceSpec.externalIPs":
    "Extra IPs at which the nodes accept traffic for the service's ports.",
  "core.v1.ServiceSpec.loadBalancerIP": "Deprecated: an address asked of the load balancer.",
  "core.v1.ServiceSpec.loadBalancerSourceRanges": "Client CIDRs allowed through the load balancer.",
  "core.v1.ServiceSpec.loadBalancerClass":
    "Which load balancer implementation should handle the service.",
  "core.v1.ServiceSpec.allocateLoadBalancerNodePorts":
    "Whether LoadBalancer services also get node ports.",
  "core.v1.ServiceSpec.healthCheckNodePort":
    "The node port load balancers probe when externalTrafficPolicy is Local.",
  "core.v1.ServiceSpec.ipFamilies": "IPv4, IPv6 or both: the address families the service uses.",
  "core.v1.ServiceSpec.ipFamilyPolicy": "SingleStack, PreferDualStack or RequireDualStack.",
  "core.v1.ServiceSpec.publishNotReadyAddresses":
    "List pods as endpoints even before they are ready.",
  "core.v1.ServiceSpec.trafficDistribution":
    "A preference for where traffic goes, such as PreferClose.",
  "core.v1.ServicePort.name": "The port's name; needed when the service has more than one port.",
  "core.v1.ServicePort.port": "The port the service listens on.",
  "core.v1.ServicePort.targetPort":
    "The pod port to send traffic to, by number or container port name; the same as port by default.",
  "core.v1.ServicePort.nodePort":
    "The port opened on every node for NodePort and LoadBalancer services.",
  "core.v1.ServicePort.protocol": "TCP, UDP or SCTP; TCP by default.",
  "core.v1.ServicePort.appProtocol":
    "The application protocol, such as http or kubernetes.io/h2c, as a hint.",

  // ConfigMap, Secret
  "core.v1.ConfigMap.data": "Text values by key.",
  "core.v1.ConfigMap.binaryData":
    "Binary values by key, base64 encoded; keys must not repeat those of data.",
  "core.v1.ConfigMap.immutable":
    "If true, the data can no longer be changed, only the whole object deleted.",
  "core.v1.Secret.data": "Values by key, base64 encoded.",
  "core.v1.Secret.stringData":
    "Plain-text values merged into data when written; never returned on reads.",
  "core.v1.Secret.type":
    "What the secret holds, such as Opaque or kubernetes.io/tls, which fixes required keys.",
  "core.v1.Secret.immutable":
    "If true, the data can no longer be changed, only the whole object deleted.",

  // Deployments, replica sets
  // apps.v1.DeploymentSpec.replicas: held back, see the note at the end of this table.
  "apps.v1.DeploymentSpec.selector":
    "Which pods belong to the deployment; must match the template's labels.",
  "apps.v1.DeploymentSpec.template": "The pod to run; changing it starts a rollout.",
  "apps.v1.DeploymentSpec.strategy": "How old pods are replaced by new ones during a rollout.",
  "apps.v1.DeploymentSpec.minReadySeconds":
    "Seconds a new pod must stay ready before it counts as available.",
  "apps.v1.DeploymentSpec.revisionHistoryLimit":
    "How many old replica sets to keep for rollbacks; 10 by default.",
  "apps.v1.DeploymentSpec.progressDeadlineSeconds":
    "Seconds a rollout may go without progress before it is reported stuck; 600 by default.",
  "apps.v1.DeploymentSpec.paused": "While true, template changes do not start a rollout.",
  "apps.v1.DeploymentStrategy.type":
    "RollingUpdate (the default), or Recreate, which removes all old pods first.",
  "apps.v1.DeploymentStrategy.rollingUpdate": "Tuning for the RollingUpdate type.",
  "apps.v1.RollingUpdateDeployment.maxSurge":
    "How many pods over the wanted count may exist during a rollout, as a number or percentage.",
  "apps.v1.RollingUpdateDeployment.maxUnavailable":
    "How many of the wanted pods may be unavailable during a rollout, as a number or percentage.",
  "apps.v1.ReplicaSetSpec.replicas": "How many pods to keep running; 1 by default.",
  "apps.v1.ReplicaSetSpec.selector":
    "Which pods count toward the replicas; must match the template's labels.",
  "apps.v1.ReplicaSetSpec.template": "The pod to create when there are too few.",
  "apps.v1.ReplicaSetSpec.minReadySeconds":
    "Seconds a new pod must stay ready before it counts as available.",

  // Stateful sets, daemon sets
  "apps.v1.StatefulSetSpec.serviceName":
    "The headless service that gives each pod its stable DNS name.",
  "apps.v1.StatefulSetSpec.podManagementPolicy":
    "OrderedReady starts and stops pods one by one in order; Parallel handles them all at once.",
  "apps.v1.StatefulSetSpec.volumeClaimTemplates":
    "Claims made once per pod, so each pod keeps its own persistent storage.",
  "apps.v1.StatefulSetSpec.updateStrategy": "How pods are replaced when the template changes.",
  "apps.v1.StatefulSetSpec.replicas": "How many pods to run; 1 by default.",
  "apps.v1.StatefulSetSpec.selector":
    "Which pods belong to the set; must match the template's labels.",
  "apps.v1.StatefulSetSpec.template": "The pod each ordinal runs, named <set>-<ordinal>.",
  "apps.v1.StatefulSetSpec.minReadySeconds":
    "Seconds a new pod must stay ready before it counts as available.",
  "apps.v1.StatefulSetSpec.revisionHistoryLimit": "How many old revisions to keep; 10 by default.",
  "apps.v1.StatefulSetSpec.persistentVolumeClaimRetentionPolicy":
    "Whether the per-pod claims are deleted when the set shrinks or is deleted.",
  "apps.v1.StatefulSetSpec.ordinals": "The number the pod ordinals start counting from.",
  "apps.v1.StatefulSetUpdateStrategy.type":
    "RollingUpdate (the default), or OnDelete, which waits for you to delete pods.",
  "apps.v1.StatefulSetUpdateStrategy.rollingUpdate": "Tuning for the RollingUpdate type.",
  "apps.v1.RollingUpdateStatefulSetStrategy.partition":
    "Only pods with an ordinal at or above this number are updated.",
  "apps.v1.RollingUpdateStatefulSetStrategy.maxUnavailable":
    "How many pods may be unavailable at once during the update.",
  "apps.v1.DaemonSetSpec.selector":
    "Which pods belong to the daemon set; must match the template's labels.",
  "apps.v1.DaemonSetSpec.template": "The pod to run on every chosen node.",
  "apps.v1.DaemonSetSpec.updateStrategy": "How pods are replaced when the template changes.",
  "apps.v1.DaemonSetSpec.minReadySeconds":
    "Seconds a new pod must stay ready before it counts as available.",
  "apps.v1.DaemonSetSpec.revisionHistoryLimit": "How many old revisions to keep; 10 by default.",
  "apps.v1.DaemonSetUpdateStrategy.type":
    "RollingUpdate (the default), or OnDelete, which waits for you to delete pods.",
  "apps.v1.DaemonSetUpdateStrategy.rollingUpdate": "Tuning for the RollingUpdate type.",
  "apps.v1.RollingUpdateDaemonSet.maxUnavailable":
    "How many nodes may be without a ready pod at once during an update, as a number or percentage.",
  "apps.v1.RollingUpdateDaemonSet.maxSurge":
    "How many nodes may run the new pod next to the old one during an update, as a number or percentage.",

  // Jobs
  "batch.v1.JobSpec.parallelism": "The most pods the job runs at the same time.",
  "batch.v1.JobSpec.completions":
    "How many pods must succeed to finish the job; when unset, one success is enough.",
  "batch.v1.JobSpec.backoffLimit":
    "How many retries are allowed before the job is marked failed; 6 by default.",
  "batch.v1.JobSpec.backoffLimitPerIndex": "Retries allowed for each index of an Indexed job.",
  "batch.v1.JobSpec.maxFailedIndexes": "How many indexes may fail before the whole job fails.",
  "batch.v1.JobSpec.activeDeadlineSeconds":
    "Seconds the job may run in all before it is failed and its pods stopped.",
  "batch.v1.JobSpec.ttlSecondsAfterFinished":
    "Seconds after the job finishes before it is deleted automatically.",
  "batch.v1.JobSpec.completionMode":
    "NonIndexed (the default), or Indexed, where each pod gets its own completion index.",
  "batch.v1.JobSpec.selector":
    "Which pods belong to the job; generated unless manualSelector is true.",
  "batch.v1.JobSpec.manualSelector":
    "If true, you supply the selector instead of letting the server generate it.",
  "batch.v1.JobSpec.template": "The pod the job runs.",
  "batch.v1.JobSpec.suspend": "While true, no pods are created and running ones are stopped.",
  "batch.v1.JobSpec.podFailurePolicy":
    "Rules on exit codes and pod conditions that fail the job or ignore a failure.",
  "batch.v1.JobSpec.podReplacementPolicy":
    "When a replacement pod is made: TerminatingOrFailed, or only once Failed.",
  "batch.v1.JobSpec.successPolicy": "Rules by which an Indexed job counts as succeeded early.",
  "batch.v1.JobSpec.managedBy": "The controller in charge of the job; the built-in one when empty.",
  "batch.v1.CronJobSpec.schedule": "When to start jobs, in cron syntax such as */5 * * * *.",
  "batch.v1.CronJobSpec.jobTemplate": "The job to create on each run.",
  "batch.v1.CronJobSpec.concurrencyPolicy":
    "What to do when a run is due while the last is still going: Allow, Forbid or Replace.",
  "batch.v1.CronJobSpec.suspend": "While true, no new jobs are started.",
  "batch.v1.CronJobSpec.successfulJobsHistoryLimit":
    "How many successful finished jobs to keep; 3 by default.",
  "batch.v1.CronJobSpec.failedJobsHistoryLimit": "How many failed jobs to keep; 1 by default.",
  "batch.v1.CronJobSpec.timeZone":
    "The IANA time zone the schedule is read in, such as Europe/Berlin; the controller's own if unset.",
  "batch.v1.CronJobSpec.startingDeadlineSeconds":
    "A run that is late by more than this many seconds is skipped.",
  "apps.v1.DeploymentSpec.replicas": "How many pods to run; 1 by default.",
  "core.v1.Container.livenessProbe":
    "Checks whether the container is alive; the kubelet restarts it when the check keeps failing.",
};
