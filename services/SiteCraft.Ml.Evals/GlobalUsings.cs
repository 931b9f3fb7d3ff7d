global using SiteCraft.Ml.ServiceDefaults.Grpc;
