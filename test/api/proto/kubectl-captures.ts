/**
 * Request bodies recorded from the real kubectl v1.32.4 (the client the
 * dispatcher picks for a v1.32 server; v1.33 sends the same bytes, v1.31 and
 * older send JSON) against a throwaway server that answered discovery.
 * `expected` is `kubectl <same command> --dry-run=client -o json` with its
 * `null` fields removed, i.e. upstream's own JSON for the same Go object;
 * for the review/token requests, which have no dry-run, it was written by
 * hand from the Go struct tags (non-omitempty zero fields stay).
 */

export interface Capture {
  readonly command: string;
  /** The request body, `k8s\0` prefix included. */
  readonly hex: string;
  readonly expected: Record<string, unknown>;
}

export const KUBECTL_1_32_CAPTURES: readonly Capture[] = [
  {
    command: "kubectl create configmap cm1 --from-literal=a=b",
    hex: "6b3873000a0f0a0276311209436f6e6669674d6170121d0a130a03636d3112001a0022002a0032003800420012060a01611201621a002200",
    expected: { kind: "ConfigMap", apiVersion: "v1", metadata: { name: "cm1" }, data: { a: "b" } },
  },
  {
    command: "kubectl create secret generic s1 --from-file=username.txt --type=Opaque",
    hex: "6b3873000a0c0a027631120653656372657412330a120a02733112001a0022002a0032003800420012150a0c757365726e616d652e747874120561646d696e1a064f70617175651a002200",
    expected: {
      kind: "Secret",
      apiVersion: "v1",
      metadata: { name: "s1" },
      data: { "username.txt": "YWRtaW4=" },
      type: "Opaque",
    },
  },
  {
    command: "kubectl create service nodeport svc1 --tcp=80:8080",
    hex: "6b3873000a0d0a027631120753657276696365126b0a210a047376633112001a0022002a003200380042005a0b0a0361707012047376633112420a1b0a0738302d38303830120354435018502207080010903f1a002800120b0a036170701204737663311a0022084e6f6465506f72743a00420052005a00600068001a020a001a002200",
    expected: {
      kind: "Service",
      apiVersion: "v1",
      metadata: { name: "svc1", labels: { app: "svc1" } },
      spec: {
        ports: [{ name: "80-8080", protocol: "TCP", port: 80, targetPort: 8080 }],
        selector: { app: "svc1" },
        type: "NodePort",
      },
      status: { loadBalancer: {} },
    },
  },
  {
    command: "kubectl create deployment web --image=nginx",
    hex: "6b3873000a150a07617070732f7631120a4465706c6f796d656e7412ab010a1f0a0377656212001a0022002a003200380042005a0a0a036170701203776562127a0801120c0a0a0a0361707012037765621a600a1c0a0012001a0022002a003200380042005a0a0a036170701203776562124012220a056e67696e7812056e67696e782a0042006a007200800100880100900100a201001a00320042004a0052005800600068008201008a01009a0100c2010022020a00280038001a0c0800100018002000280038001a002200",
    expected: {
      kind: "Deployment",
      apiVersion: "apps/v1",
      metadata: { name: "web", labels: { app: "web" } },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: "web" } },
        template: {
          metadata: { labels: { app: "web" } },
          spec: { containers: [{ name: "nginx", image: "nginx", resources: {} }] },
        },
        strategy: {},
      },
      status: {},
    },
  },
  {
    command: "kubectl create deployment web0 --image=nginx --replicas=0 --port=8080",
    hex: "6b3873000a150a07617070732f7631120a4465706c6f796d656e7412bd010a210a047765623012001a0022002a003200380042005a0b0a036170701204776562301289010800120d0a0b0a036170701204776562301a6e0a1d0a0012001a0022002a003200380042005a0b0a03617070120477656230124d122f0a056e67696e7812056e67696e782a00320b0a00100018903f22002a0042006a007200800100880100900100a201001a00320042004a0052005800600068008201008a01009a0100c2010022020a00280038001a0c0800100018002000280038001a002200",
    expected: {
      kind: "Deployment",
      apiVersion: "apps/v1",
      metadata: { name: "web0", labels: { app: "web0" } },
      spec: {
        replicas: 0,
        selector: { matchLabels: { app: "web0" } },
        template: {
          metadata: { labels: { app: "web0" } },
          spec: {
            containers: [
              { name: "nginx", image: "nginx", ports: [{ containerPort: 8080 }], resources: {} },
            ],
          },
        },
        strategy: {},
      },
      status: {},
    },
  },
  {
    command: "kubectl create job j1 --image=busybox -- sleep 5",
    hex: "6b3873000a0f0a0862617463682f763112034a6f621284010a120a026a3112001a0022002a00320038004200126432620a100a0012001a0022002a00320038004200124e122b0a026a31120762757379626f781a05736c6565701a01352a0042006a007200800100880100900100a201001a054e65766572320042004a0052005800600068008201008a01009a0100c201001a082000280030003a001a002200",
    expected: {
      kind: "Job",
      apiVersion: "batch/v1",
      metadata: { name: "j1" },
      spec: {
        template: {
          metadata: {},
          spec: {
            containers: [{ name: "j1", image: "busybox", command: ["sleep", "5"], resources: {} }],
            restartPolicy: "Never",
          },
        },
      },
      status: {},
    },
  },
  {
    command: 'kubectl create cronjob cj1 --image=busybox --schedule="*/1 * * * *"',
    hex: "6b3873000a130a0862617463682f7631120743726f6e4a6f6212a1010a130a03636a3112001a0022002a003200380042001287010a0b2a2f31202a202a202a202a1a002a760a130a03636a3112001a0022002a00320038004200125f325d0a100a0012001a0022002a00320038004200124912220a03636a31120762757379626f782a0042006a007200800100880100900100a201001a094f6e4661696c757265320042004a0052005800600068008201008a01009a0100c201001a001a002200",
    expected: {
      kind: "CronJob",
      apiVersion: "batch/v1",
      metadata: { name: "cj1" },
      spec: {
        schedule: "*/1 * * * *",
        jobTemplate: {
          metadata: { name: "cj1" },
          spec: {
            template: {
              metadata: {},
              spec: {
                containers: [{ name: "cj1", image: "busybox", resources: {} }],
                restartPolicy: "OnFailure",
              },
            },
          },
        },
      },
      status: {},
    },
  },
  {
    command:
      "kubectl create role r1 --verb=get,list --resource=pods,deployments.apps --resource-name=x",
    hex: "6b3873000a240a1c726261632e617574686f72697a6174696f6e2e6b38732e696f2f76311204526f6c65124f0a120a02723112001a0022002a0032003800420012160a036765740a046c69737412001a04706f647322017812210a036765740a046c6973741204617070731a0b6465706c6f796d656e74732201781a002200",
    expected: {
      kind: "Role",
      apiVersion: "rbac.authorization.k8s.io/v1",
      metadata: { name: "r1" },
      rules: [
        { verbs: ["get", "list"], apiGroups: [""], resources: ["pods"], resourceNames: ["x"] },
        {
          verbs: ["get", "list"],
          apiGroups: ["apps"],
          resources: ["deployments"],
          resourceNames: ["x"],
        },
      ],
    },
  },
  {
    command: "kubectl create rolebinding rb1 --role=r1 --user=alice --serviceaccount=default:sa1",
    hex: "6b3873000a2b0a1c726261632e617574686f72697a6174696f6e2e6b38732e696f2f7631120b526f6c6542696e64696e67128a010a130a0372623112001a0022002a00320038004200122a0a04557365721219726261632e617574686f72697a6174696f6e2e6b38732e696f1a05616c696365220012200a0e536572766963654163636f756e7412001a03736131220764656661756c741a250a19726261632e617574686f72697a6174696f6e2e6b38732e696f1204526f6c651a0272311a002200",
    expected: {
      kind: "RoleBinding",
      apiVersion: "rbac.authorization.k8s.io/v1",
      metadata: { name: "rb1" },
      subjects: [
        { kind: "User", apiGroup: "rbac.authorization.k8s.io", name: "alice" },
        { kind: "ServiceAccount", name: "sa1", namespace: "default" },
      ],
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "r1" },
    },
  },
  {
    command: "kubectl create clusterrole cr1 --verb=get --non-resource-url=/healthz",
    hex: "6b3873000a2b0a1c726261632e617574686f72697a6174696f6e2e6b38732e696f2f7631120b436c7573746572526f6c6512260a130a0363723112001a0022002a00320038004200120f0a036765742a082f6865616c74687a1a002200",
    expected: {
      kind: "ClusterRole",
      apiVersion: "rbac.authorization.k8s.io/v1",
      metadata: { name: "cr1" },
      rules: [{ verbs: ["get"], nonResourceURLs: ["/healthz"] }],
    },
  },
  {
    command: "kubectl create clusterrolebinding crb1 --clusterrole=cr1 --group=devs",
    hex: "6b3873000a320a1c726261632e617574686f72697a6174696f6e2e6b38732e696f2f76311212436c7573746572526f6c6542696e64696e6712710a140a046372623112001a0022002a00320038004200122a0a0547726f75701219726261632e617574686f72697a6174696f6e2e6b38732e696f1a046465767322001a2d0a19726261632e617574686f72697a6174696f6e2e6b38732e696f120b436c7573746572526f6c651a036372311a002200",
    expected: {
      kind: "ClusterRoleBinding",
      apiVersion: "rbac.authorization.k8s.io/v1",
      metadata: { name: "crb1" },
      subjects: [{ kind: "Group", apiGroup: "rbac.authorization.k8s.io", name: "devs" }],
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "cr1" },
    },
  },
  {
    command: "kubectl create serviceaccount sa1",
    hex: "6b3873000a140a027631120e536572766963654163636f756e7412150a130a0373613112001a0022002a003200380042001a002200",
    expected: { kind: "ServiceAccount", apiVersion: "v1", metadata: { name: "sa1" } },
  },
  {
    command: 'kubectl create ingress ing1 --rule="foo.com/bar*=svc1:80,tls=my-cert" --class=nginx',
    hex: "6b3873000a1f0a146e6574776f726b696e672e6b38732e696f2f76311207496e677265737312660a140a04696e673112001a0022002a00320038004200124a12120a07666f6f2e636f6d12076d792d636572741a2d0a07666f6f2e636f6d12220a200a1e0a042f626172120e220c0a047376633112040a0010501a0650726566697822056e67696e781a020a001a002200",
    expected: {
      kind: "Ingress",
      apiVersion: "networking.k8s.io/v1",
      metadata: { name: "ing1" },
      spec: {
        ingressClassName: "nginx",
        tls: [{ hosts: ["foo.com"], secretName: "my-cert" }],
        rules: [
          {
            host: "foo.com",
            http: {
              paths: [
                {
                  path: "/bar",
                  pathType: "Prefix",
                  backend: { service: { name: "svc1", port: { number: 80 } } },
                },
              ],
            },
          },
        ],
      },
      status: { loadBalancer: {} },
    },
  },
  {
    command: "kubectl create poddisruptionbudget pdb1 --selector=app=web --min-available=50%",
    hex: "6b3873000a200a09706f6c6963792f76311213506f6444697372757074696f6e427564676574123d0a140a047064623112001a0022002a0032003800420012190a09080110001a03353025120c0a0a0a0361707012037765621a0a080018002000280030001a002200",
    expected: {
      kind: "PodDisruptionBudget",
      apiVersion: "policy/v1",
      metadata: { name: "pdb1" },
      spec: { minAvailable: "50%", selector: { matchLabels: { app: "web" } } },
      status: { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 },
    },
  },
  {
    command:
      "kubectl create priorityclass pc1 --value=1000 --description=high --preemption-policy=Never",
    hex: "6b3873000a250a147363686564756c696e672e6b38732e696f2f7631120d5072696f72697479436c61737312270a130a0370633112001a0022002a0032003800420010e80718002204686967682a054e657665721a002200",
    expected: {
      kind: "PriorityClass",
      apiVersion: "scheduling.k8s.io/v1",
      metadata: { name: "pc1" },
      value: 1000,
      description: "high",
      preemptionPolicy: "Never",
    },
  },
  {
    command: "kubectl create quota q1 --hard=cpu=1,memory=1G,pods=10 --scopes=BestEffort",
    hex: "6b3873000a130a027631120d5265736f7572636551756f7461124e0a120a02713112001a0022002a0032003800420012360a0a0a0363707512030a01310a0e0a066d656d6f727912040a0231470a0c0a04706f647312040a023130120a426573744566666f72741a001a002200",
    expected: {
      kind: "ResourceQuota",
      apiVersion: "v1",
      metadata: { name: "q1" },
      spec: { hard: { cpu: "1", memory: "1G", pods: "10" }, scopes: ["BestEffort"] },
      status: {},
    },
  },
  {
    command:
      "kubectl create secret docker-registry reg1 --docker-server=r.io --docker-username=u --docker-password=p",
    hex: "6b3873000a0c0a0276311206536563726574128d010a140a047265673112001a0022002a0032003800420012550a112e646f636b6572636f6e6669676a736f6e12407b226175746873223a7b22722e696f223a7b22757365726e616d65223a2275222c2270617373776f7264223a2270222c2261757468223a2264547077227d7d7d1a1e6b756265726e657465732e696f2f646f636b6572636f6e6669676a736f6e1a002200",
    expected: {
      kind: "Secret",
      apiVersion: "v1",
      metadata: { name: "reg1" },
      data: {
        ".dockerconfigjson":
          "eyJhdXRocyI6eyJyLmlvIjp7InVzZXJuYW1lIjoidSIsInBhc3N3b3JkIjoicCIsImF1dGgiOiJkVHB3In19fQ==",
      },
      type: "kubernetes.io/dockerconfigjson",
    },
  },
  {
    command: "kubectl create configmap cm2 --from-file=bin=bin.dat --from-literal=x=",
    hex: "6b3873000a0f0a0276311209436f6e6669674d617012290a130a03636d3212001a0022002a0032003800420012050a017812001a0b0a0362696e12040001feff1a002200",
    expected: {
      kind: "ConfigMap",
      apiVersion: "v1",
      metadata: { name: "cm2" },
      data: { x: "" },
      binaryData: { bin: "AAH+/w==" },
    },
  },
  {
    command: "kubectl create service clusterip headless --clusterip=None",
    hex: "6b3873000a0d0a027631120753657276696365125f0a290a08686561646c65737312001a0022002a003200380042005a0f0a036170701208686561646c657373122e120f0a036170701208686561646c6573731a044e6f6e652209436c757374657249503a00420052005a00600068001a020a001a002200",
    expected: {
      kind: "Service",
      apiVersion: "v1",
      metadata: { name: "headless", labels: { app: "headless" } },
      spec: { selector: { app: "headless" }, clusterIP: "None", type: "ClusterIP" },
      status: { loadBalancer: {} },
    },
  },
  {
    command: "kubectl create service externalname ext1 --external-name=example.com",
    hex: "6b3873000a0d0a027631120753657276696365125d0a210a046578743112001a0022002a003200380042005a0b0a036170701204657874311234120b0a036170701204657874311a00220c45787465726e616c4e616d653a004200520b6578616d706c652e636f6d5a00600068001a020a001a002200",
    expected: {
      kind: "Service",
      apiVersion: "v1",
      metadata: { name: "ext1", labels: { app: "ext1" } },
      spec: { selector: { app: "ext1" }, type: "ExternalName", externalName: "example.com" },
      status: { loadBalancer: {} },
    },
  },
  {
    command: "kubectl create namespace ns1",
    hex: "6b3873000a0f0a02763112094e616d657370616365121b0a130a036e733112001a0022002a0032003800420012001a020a001a002200",
    expected: {
      kind: "Namespace",
      apiVersion: "v1",
      metadata: { name: "ns1" },
      spec: {},
      status: {},
    },
  },
  {
    command: "kubectl create token sa1 --duration=1h --audience=api",
    hex: "6b3873000a280a1861757468656e7469636174696f6e2e6b38732e696f2f7631120c546f6b656e5265717565737412220a100a0012001a0022002a0032003800420012080a0361706920901c1a040a0012001a002200",
    expected: {
      apiVersion: "authentication.k8s.io/v1",
      kind: "TokenRequest",
      metadata: {},
      spec: { audiences: ["api"], expirationSeconds: 3600 },
      status: { token: "" },
    },
  },
  {
    command: "kubectl auth can-i get pods",
    hex: "6b3873000a320a17617574686f72697a6174696f6e2e6b38732e696f2f7631121753656c665375626a656374416363657373526576696577123c0a100a0012001a0022002a00320038004200121e0a1c0a0764656661756c7412036765741a0022002a04706f647332003a001a08080012001a0020001a002200",
    expected: {
      apiVersion: "authorization.k8s.io/v1",
      kind: "SelfSubjectAccessReview",
      metadata: {},
      spec: { resourceAttributes: { namespace: "default", verb: "get", resource: "pods" } },
      status: { allowed: false },
    },
  },
  {
    command: "kubectl auth whoami",
    hex: "6b3873000a2d0a1861757468656e7469636174696f6e2e6b38732e696f2f7631121153656c665375626a656374526576696577121a0a100a0012001a0022002a0032003800420012060a040a0012001a002200",
    expected: {
      apiVersion: "authentication.k8s.io/v1",
      kind: "SelfSubjectReview",
      metadata: {},
      status: { userInfo: {} },
    },
  },
  {
    command: "kubectl autoscale deployment web --max=5 --cpu-percent=80",
    hex: "6b3873000a290a0e6175746f7363616c696e672f76311217486f72697a6f6e74616c506f644175746f7363616c6572123d0a130a0377656212001a0022002a0032003800420012200a1a0a0a4465706c6f796d656e7412037765621a07617070732f7631180520501a04180020001a002200",
    expected: {
      apiVersion: "autoscaling/v1",
      kind: "HorizontalPodAutoscaler",
      metadata: { name: "web" },
      spec: {
        scaleTargetRef: { kind: "Deployment", name: "web", apiVersion: "apps/v1" },
        maxReplicas: 5,
        targetCPUUtilizationPercentage: 80,
      },
      status: { currentReplicas: 0, desiredReplicas: 0 },
    },
  },
  {
    command: "kubectl auth can-i --list",
    hex: "6b3873000a310a17617574686f72697a6174696f6e2e6b38732e696f2f7631121653656c665375626a65637452756c657352657669657712230a100a0012001a0022002a0032003800420012090a0764656661756c741a04180022001a002200",
    expected: {
      apiVersion: "authorization.k8s.io/v1",
      kind: "SelfSubjectRulesReview",
      metadata: {},
      spec: { namespace: "default" },
      status: { incomplete: false },
    },
  },
];
