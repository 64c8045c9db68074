// The Keycloak operator's kinds (k8s.keycloak.org/v2alpha1), for k8s/tools/validate.mjs: no package of a registry
// this project reaches ships them (no npm model, no Maven Central artifact of the operator), so these are our own
// transcription of the fields of the operator's CRDs (Keycloak operator 26.x) that a Hemolink manifest may use.
// A field written here that the CRD does not have would pass the check and be dropped by the API server: add a
// field only after reading the operator's CRD of the Keycloak version in the root pom (keycloak.version).
import type { IObjectMeta as ObjectMeta } from "@kubernetes-models/apimachinery/apis/meta/v1/ObjectMeta";
import type { IResourceRequirements as ResourceRequirements } from "kubernetes-models/v1/ResourceRequirements";

export interface SecretKeySelector {
  name: string;
  key: string;
  optional?: boolean;
}

export interface IKeycloak {
  apiVersion: "k8s.keycloak.org/v2alpha1";
  kind: "Keycloak";
  metadata: ObjectMeta & { name: string };
  spec: {
    instances?: number;
    image?: string;
    imagePullSecrets?: Array<{ name: string }>;
    startOptimized?: boolean;
    additionalOptions?: Array<{ name: string; value?: string; secret?: SecretKeySelector }>;
    bootstrapAdmin?: { user?: { secret?: string }; service?: { secret?: string } };
    db?: {
      vendor?: "postgres" | "mariadb" | "mysql" | "mssql" | "oracle" | "dev-file";
      host?: string;
      port?: number;
      database?: string;
      schema?: string;
      url?: string;
      usernameSecret?: SecretKeySelector;
      passwordSecret?: SecretKeySelector;
      poolInitialSize?: number;
      poolMinSize?: number;
      poolMaxSize?: number;
    };
    features?: { enabled?: string[]; disabled?: string[] };
    hostname?: {
      hostname?: string;
      admin?: string;
      strict?: boolean;
      backchannelDynamic?: boolean;
    };
    http?: { httpEnabled?: boolean; httpPort?: number; httpsPort?: number; tlsSecret?: string };
    httpManagement?: { port?: number };
    ingress?: { enabled?: boolean; className?: string; annotations?: Record<string, string> };
    proxy?: { headers?: "forwarded" | "xforwarded" };
    resources?: ResourceRequirements;
    transaction?: { xaEnabled?: boolean };
  };
}

export interface IKeycloakRealmImport {
  apiVersion: "k8s.keycloak.org/v2alpha1";
  kind: "KeycloakRealmImport";
  metadata: ObjectMeta & { name: string };
  spec: {
    keycloakCRName: string;
    // a RealmRepresentation: its content is checked by the build (k8s module's RealmImportTest: the demo realm that
    // deploy/infra's KeycloakRealmTest imports into a real Keycloak, or that realm minus credentials)
    realm: { realm: string; enabled?: boolean; [field: string]: unknown };
    placeholders?: Record<string, { secret: SecretKeySelector }>;
    resources?: ResourceRequirements;
  };
}
