import { Testing } from "../modules/cdk-flavour";

Testing.setupJest();
