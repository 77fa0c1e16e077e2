#pragma once

#include "kubeconfig/kubeconfig.h"

#include <QString>

namespace orchestra::kubeconfig {

/// Where a context's cluster comes from, guessed from the server URL, the exec plugin and the extensions.
struct Provider final
{
    enum class Kind { Unknown, Minikube, Rancher, Gke, Eks, Aks, Kind, K3d, DockerDesktop };
    Kind kind = Kind::Unknown;
    QString label; ///< "minikube", "Rancher", "GKE", "EKS", ...; empty when unknown
};

/// Recognises minikube (cluster_info extension), Rancher (/k8s/clusters/ path), GKE, EKS, AKS, kind, k3d and
/// Docker Desktop for a context of `config`.
Provider detectProvider(const Kubeconfig &config, const Context &context);

} // namespace orchestra::kubeconfig
